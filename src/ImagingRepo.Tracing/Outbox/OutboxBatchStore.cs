using System.Data.Common;
using System.Globalization;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>
/// The dispatcher's side of the outbox: batches of waiting traces with their proofs, the ledger ticket of each batch,
/// and its outcome. Writes go through the group-commit writer, so each step is committed before the next one starts.
/// </summary>
internal sealed class OutboxBatchStore(GroupCommitWriter writer, Func<CancellationToken, ValueTask<DbConnection>> openConnection, TimeProvider time)
{
    /// <summary>How many traces wait, and when the oldest was recorded (Unix ms; 0 when none waits).</summary>
    public async Task<(long Count, long OldestRecordedAt)> GetWaitingAsync(CancellationToken cancellationToken)
    {
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = OutboxSql.CountWaiting;
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var count = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                return count == 0 ? (0, 0) : (count, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>
    /// Moves up to <paramref name="maxCount"/> waiting traces into a new batch with their proofs, and adds them to the
    /// trace-to-dataset index in the same transaction; null when none waits. Indexing here rather than at recording keeps
    /// the index pages out of each recording commit: a batch writes the rows of hundreds of traces in key order, where
    /// each small group commit would touch a page per dataset. Until then the waiting traces are found beside the index
    /// (<see cref="OutboxSql.BuildListQuery"/>).
    /// </summary>
    public Task<long?> CreateBatchAsync(int maxCount, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(async ctx =>
        {
            var rows = new List<(long Seq, byte[] Leaf, IReadOnlyList<string> DatasetIds)>();
            using (var select = ctx.Command(OutboxSql.SelectWaitingLeaves + maxCount.ToString(CultureInfo.InvariantCulture)))
            {
                var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync().ConfigureAwait(false))
                    {
                        var datasetIds = StoredDatasetIds.Read(reader.IsDBNull(3) ? null : reader.GetString(3), (byte[])reader.GetValue(2));
                        rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1), datasetIds));
                    }
                }
            }

            if (rows.Count == 0) return (long?)null;
            var tree = MerkleTree.Build(rows.ConvertAll(r => r.Leaf));
            long batchId;
            using (var insert = ctx.Command(OutboxSql.InsertBatch))
            {
                ctx.Add(insert, "@root", tree.Root.ToArray());
                ctx.Add(insert, "@count", rows.Count);
                ctx.Add(insert, "@now", time.GetUtcNow().ToUnixTimeMilliseconds());
                batchId = Convert.ToInt64(await insert.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            using var update = ctx.Command(OutboxSql.SubmitTrace);
            ctx.Add(update, "@batch", batchId);
            var pIndex = ctx.Add(update, "@index", 0);
            var pProof = ctx.Add(update, "@proof", Array.Empty<byte>());
            var pSeq = ctx.Add(update, "@seq", 0L);
            for (var i = 0; i < rows.Count; i++)
            {
                pIndex.Value = i;
                pProof.Value = MerkleTree.EncodePath(tree.GetPath(i));
                pSeq.Value = rows[i].Seq;
                await update.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await ctx.IndexDatasetsAsync(rows.Select(r => (r.Seq, r.DatasetIds))).ConfigureAwait(false);
            return batchId;
        }, cancellationToken);

    /// <summary>The batches not yet settled, oldest first, each with its entries in leaf order.</summary>
    public async Task<IReadOnlyList<OpenBatch>> GetOpenBatchesAsync(CancellationToken cancellationToken)
    {
        var batches = new List<OpenBatch>();
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = OutboxSql.SelectOpenBatches;
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var ticket = reader.IsDBNull(2) ? null : new LedgerTicket(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                        batches.Add(new OpenBatch(reader.GetInt64(0), (byte[])reader.GetValue(1), ticket, Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture), []));
                    }
                }
            }

            for (var i = 0; i < batches.Count; i++)
            {
                batches[i] = batches[i] with { Entries = await ReadEntriesAsync(connection, batches[i].Id, cancellationToken).ConfigureAwait(false) };
            }
        }

        return batches;
    }

    /// <summary>Stores the ledger ticket of a batch before it is sent.</summary>
    public Task SetTicketAsync(long batchId, LedgerTicket ticket, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(ctx => ctx.ExecuteAsync(
            OutboxSql.SetTicket, ("@ref", ticket.Reference), ("@payload", (object?)ticket.Payload ?? DBNull.Value), ("@id", batchId)), cancellationToken);

    /// <summary>Marks a batch and its traces anchored.</summary>
    public Task MarkAnchoredAsync(long batchId, LedgerAnchor anchor, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(async ctx =>
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            await ctx.ExecuteAsync(
                OutboxSql.MarkBatchAnchored,
                ("@ledger", anchor.Ledger), ("@lb", anchor.BatchNumber), ("@ref", anchor.Reference), ("@pos", anchor.Position), ("@id", batchId)).ConfigureAwait(false);
            return await ctx.ExecuteAsync(OutboxSql.MarkTracesAnchored, ("@now", now), ("@id", batchId)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Marks a batch and its traces failed with the ledger's message.</summary>
    public Task MarkFailedAsync(long batchId, string message, CancellationToken cancellationToken) =>
        writer.EnqueueAsync(async ctx =>
        {
            await ctx.ExecuteAsync(OutboxSql.MarkBatchFailed, ("@message", message), ("@id", batchId)).ConfigureAwait(false);
            return await ctx.ExecuteAsync(OutboxSql.MarkTracesFailed, ("@message", message), ("@id", batchId)).ConfigureAwait(false);
        }, cancellationToken);

    private static async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(DbConnection connection, long batchId, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        using var command = connection.CreateCommand();

        // The dataset ids in the trace's order, from the '|'-joined column where it is exact, else from the canonical JSON.
        command.CommandText = OutboxSql.SelectBatchEntries;
        var p = command.CreateParameter();
        p.ParameterName = "@batch";
        p.Value = batchId;
        command.Parameters.Add(p);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var datasets = StoredDatasetIds.Read(reader.IsDBNull(3) ? null : reader.GetString(3), (byte[])reader.GetValue(2));
                entries.Add(new LedgerEntry(Guid.Parse(reader.GetString(0)), (TraceUserAction)Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), datasets));
            }
        }

        return entries;
    }
}

/// <summary>A batch not yet settled: its root, ticket (once prepared), attempts and entries.</summary>
internal sealed record OpenBatch(long Id, byte[] Root, LedgerTicket? Ticket, int Attempts, IReadOnlyList<LedgerEntry> Entries)
{
    public LedgerBatch ToLedgerBatch() => new(Root, Entries);
}
