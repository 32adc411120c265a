using System.Data.Common;
using System.Globalization;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Reads <see cref="TraceRecord"/>s (<see cref="OutboxSql.SelectColumns"/>) on a connection of their own, beside the writer.</summary>
internal sealed class TraceRecordReader(Func<CancellationToken, ValueTask<DbConnection>> openConnection)
{
    /// <summary>The records a query returns, in its order.</summary>
    public async Task<IReadOnlyList<TraceRecord>> ReadAsync(string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        var records = new List<TraceRecord>();
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
            }

            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records.Add(Read(reader));
                }
            }
        }

        return records;
    }

    /// <summary>Counts of traces per status.</summary>
    public async Task<TraceStatusCounts> CountAsync(CancellationToken cancellationToken)
    {
        var counts = new long[Enum.GetValues<TraceStatus>().Length];
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = OutboxSql.CountByStatus;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
                }
            }
        }

        return new TraceStatusCounts(
            counts[(int)TraceStatus.Waiting], counts[(int)TraceStatus.Submitted], counts[(int)TraceStatus.Anchored], counts[(int)TraceStatus.Failed]);
    }

    private static TraceRecord Read(DbDataReader r)
    {
        var json = (byte[])r.GetValue(1);
        static long? L(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        return new TraceRecord
        {
            Sequence = r.GetInt64(0),
            Trace = TraceSerializer.Deserialize(json),
            CanonicalJson = json,
            Status = (TraceStatus)Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
            Message = r.IsDBNull(3) ? null : r.GetString(3),
            RecordedAt = r.GetInt64(4),
            AnchoredAt = L(r, 5),
            BatchId = L(r, 6),
            LeafIndex = (int?)L(r, 7),
            Path = r.IsDBNull(8) ? null : MerkleTree.DecodePath((byte[])r.GetValue(8)),
            Root = r.IsDBNull(9) ? null : (byte[])r.GetValue(9),
            BatchCount = (int?)L(r, 10),
            Ledger = r.IsDBNull(11) ? null : r.GetString(11),
            LedgerBatchNumber = L(r, 12),
            AnchorReference = r.IsDBNull(13) ? null : r.GetString(13),
            AnchorPosition = L(r, 14),
            CanonicalForm = (TraceCanonicalForm)Convert.ToInt32(r.GetValue(15), CultureInfo.InvariantCulture),
        };
    }
}
