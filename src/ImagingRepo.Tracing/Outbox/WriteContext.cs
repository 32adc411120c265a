using System.Data.Common;
using System.Globalization;
using ImagingRepo.Tracing.Model;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>The transaction a group of writes runs in, with the inserts prepared once per group.</summary>
internal sealed class WriteContext(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private DbCommand? _insert;
    // Few enough parameters that binding them by name (a linear scan in SQLite) stays cheap.
    private const int DatasetRowsPerInsert = 16;

    private readonly List<(string DatasetId, long Seq)> _datasetRows = [];
    private DbCommand? _insertDataset;
    private DbCommand? _insertDatasetRows;
    private DbCommand? _existing;

    public DbCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public DbParameter Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }

    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(sql);
        foreach (var (name, value) in parameters) Add(command, name, value);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Stores a run of traces; a stored id with other content fails that caller only. Their dataset index rows are written
    /// later, when the dispatcher moves them into a batch (<see cref="IndexDatasetsAsync"/>).
    /// </summary>
    public async Task InsertAsync(List<RecordOp> run)
    {
        if (_insert is null)
        {
            // One prepared statement per group, executed per row: SQLite binds by name in a linear scan of
            // the statement's variables, so one wide multi-row statement costs more than it saves.
            _insert = Command(connection is SqliteConnection ? OutboxSql.InsertTraceWithoutReturning : OutboxSql.InsertTrace);
            Add(_insert, "@i", "");
            Add(_insert, "@a", 0);
            Add(_insert, "@d", "");
            Add(_insert, "@j", Array.Empty<byte>());
            Add(_insert, "@l", Array.Empty<byte>());
            Add(_insert, "@t", 0L);
            Add(_insert, "@f", (int)TraceSerializer.CurrentCanonicalForm);
            await _insert.PrepareAsync().ConfigureAwait(false);
        }

        var p = _insert.Parameters;
        foreach (var op in run)
        {
            p[0].Value = op.Trace.Id.ToString("D");
            p[1].Value = (int)op.Trace.UserAction;
            p[2].Value = StoredDatasetIds.Join(op.Trace.ReferencedDatasetIds);
            p[3].Value = op.Json;
            p[4].Value = op.Leaf;
            p[5].Value = op.RecordedAt;
            if (await InsertTraceRowAsync(_insert).ConfigureAwait(false) is not null) continue;

            // Already stored: fine when the content is identical (a retried call), an error for that caller otherwise.
            if (_existing is null)
            {
                _existing = Command(OutboxSql.SelectJsonById);
                Add(_existing, "@id", "");
            }

            _existing.Parameters[0].Value = op.Trace.Id.ToString("D");
            if (!await IsStoredAsync(_existing, op).ConfigureAwait(false))
            {
                op.Result = new DuplicateTraceException($"trace {op.Trace.Id} is already recorded with different content");
            }
        }
    }

    /// <summary>
    /// Adds the trace-to-dataset index rows of <paramref name="traces"/> (each distinct dataset id of a trace once; rows
    /// already there are kept). The rows are written in key order, so that they land on few index pages, and
    /// <see cref="DatasetRowsPerInsert"/> to a statement while that many are left: a statement per row costs as much
    /// again as the trace insert itself.
    /// </summary>
    public async Task IndexDatasetsAsync(IEnumerable<(long Seq, IReadOnlyList<string> DatasetIds)> traces)
    {
        foreach (var (seq, datasetIds) in traces)
        {
            foreach (var datasetId in datasetIds.Distinct(StringComparer.Ordinal)) _datasetRows.Add((datasetId, seq));
        }

        _datasetRows.Sort(static (a, b) => string.CompareOrdinal(a.DatasetId, b.DatasetId) is var c && c != 0 ? c : a.Seq.CompareTo(b.Seq));
        var i = 0;
        for (; _datasetRows.Count - i >= DatasetRowsPerInsert; i += DatasetRowsPerInsert)
        {
            _insertDatasetRows ??= await PrepareDatasetRowsInsertAsync().ConfigureAwait(false);
            var p = _insertDatasetRows.Parameters;
            for (var k = 0; k < DatasetRowsPerInsert; k++)
            {
                p[2 * k].Value = _datasetRows[i + k].DatasetId;
                p[(2 * k) + 1].Value = _datasetRows[i + k].Seq;
            }

            await _insertDatasetRows.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        for (; i < _datasetRows.Count; i++)
        {
            _insertDataset ??= await OutboxSchema.PrepareDatasetInsertAsync(this).ConfigureAwait(false);
            _insertDataset.Parameters[0].Value = _datasetRows[i].DatasetId;
            _insertDataset.Parameters[1].Value = _datasetRows[i].Seq;
            await _insertDataset.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        _datasetRows.Clear();
    }

    private async Task<DbCommand> PrepareDatasetRowsInsertAsync()
    {
        var command = Command(OutboxSql.InsertTraceDatasets(DatasetRowsPerInsert));
        for (var k = 0; k < DatasetRowsPerInsert; k++)
        {
            Add(command, "@ds" + k.ToString(CultureInfo.InvariantCulture), "");
            Add(command, "@seq" + k.ToString(CultureInfo.InvariantCulture), 0L);
        }

        await command.PrepareAsync().ConfigureAwait(false);
        return command;
    }

    /// <summary>Runs the prepared trace insert; the new row's sequence number, or null when the id was stored already.</summary>
    private async Task<long?> InsertTraceRowAsync(DbCommand insert)
    {
        if (connection is SqliteConnection sqlite)
        {
            // The single writer owns this connection, so the last inserted rowid is this row's seq (its INTEGER PRIMARY KEY).
            return await insert.ExecuteNonQueryAsync().ConfigureAwait(false) == 1 ? raw.sqlite3_last_insert_rowid(sqlite.Handle) : null;
        }

        return await insert.ExecuteScalarAsync().ConfigureAwait(false) is { } seq ? Convert.ToInt64(seq, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>True when the row the query finds holds the same trace, compared in the canonical form it was stored with.</summary>
    private static async Task<bool> IsStoredAsync(DbCommand existing, RecordOp op)
    {
        var reader = await existing.ExecuteReaderAsync().ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync().ConfigureAwait(false)) return false;
            var stored = (byte[])reader.GetValue(0);
            var form = (TraceCanonicalForm)Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
            var json = form == TraceSerializer.CurrentCanonicalForm ? op.Json : TraceSerializer.Serialize(op.Trace, form);
            return stored.AsSpan().SequenceEqual(json);
        }
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _insertDataset?.Dispose();
        _insertDatasetRows?.Dispose();
        _existing?.Dispose();
    }
}
