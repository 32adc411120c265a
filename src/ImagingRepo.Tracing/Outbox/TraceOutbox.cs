using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Options shared by the outbox stores.</summary>
public class TraceOutboxOptions
{
    /// <summary>
    /// Turns user ids into keyed pseudonyms before a trace is stored. When null, only traces whose
    /// <c>userId</c> is already a pseudonym are accepted.
    /// </summary>
    public UserPseudonymizer? Pseudonymizer { get; set; }

    /// <summary>Most writes committed in one transaction (group commit).</summary>
    public int MaxGroupSize { get; set; } = 4096;

    /// <summary>Clock for timestamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}

/// <summary>
/// The durable outbox: <see cref="RecordAsync"/> returns only once the trace is committed to the local
/// database. All writes go through one writer loop that commits whatever is pending in one transaction
/// (group commit), so many concurrent callers share each disk flush. The dispatcher
/// (<see cref="TraceDispatcher"/>) takes waiting traces from here and anchors them.
/// </summary>
public abstract class TraceOutbox : IAsyncDisposable
{
    private static readonly Meter Meter = new("ImagingRepo.Tracing");
    private static readonly Counter<long> Recorded = Meter.CreateCounter<long>("imagingrepo.tracing.recorded", description: "Traces committed to the outbox");
    private static readonly Histogram<int> GroupSizes = Meter.CreateHistogram<int>("imagingrepo.tracing.group_size", description: "Writes per outbox commit");

    private const int MaxRowsPerInsert = 256;

    private readonly Channel<WriteOp> _writes = Channel.CreateUnbounded<WriteOp>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TraceOutboxOptions _options;
    private Task? _writer;
    private DbConnection? _writeConnection;
    private int _disposed;

    /// <summary>Creates the outbox.</summary>
    /// <param name="options">Options.</param>
    protected TraceOutbox(TraceOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Raised (on the writer loop) after traces were committed; the dispatcher listens to wake up.</summary>
    internal event Action? Committed;

    /// <summary>Clock.</summary>
    protected TimeProvider Time => _options.TimeProvider;

    /// <summary>Opens a new connection (readers use one each; the writer keeps one).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>The statements that create the schema if it is missing.</summary>
    protected abstract IEnumerable<string> SchemaStatements { get; }

    /// <summary>
    /// A statement that makes other processes opening the same database wait until this one has created and migrated
    /// the schema (run first in that transaction), or null where the transaction itself already excludes them.
    /// </summary>
    protected virtual string? SchemaLockStatement => null;

    /// <summary>Creates or migrates the schema and starts the writer loop; called by the store's factory.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected async Task InitializeAsync(CancellationToken cancellationToken)
    {
        _writeConnection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await OutboxSchema.CreateOrMigrateAsync(_writeConnection, SchemaLockStatement, SchemaStatements, cancellationToken).ConfigureAwait(false);
        _writer = Task.Run(WriterLoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Pseudonymizes the user id, validates and commits the trace. Returns when the trace is durably stored.
    /// Recording the same trace again is a no-op; the same id with other content is an error.
    /// </summary>
    /// <param name="trace">The trace.</param>
    /// <param name="cancellationToken">Cancels waiting (the trace may still be committed).</param>
    /// <exception cref="TraceFormatException">The trace breaks the V1 rules, or its user id is not pseudonymized and no pseudonymizer is set.</exception>
    /// <exception cref="DuplicateTraceException">The id was recorded with other content.</exception>
    public Task RecordAsync(Trace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_options.Pseudonymizer is { } pseudonymizer)
        {
            trace = pseudonymizer.Apply(trace);
        }
        else if (!UserPseudonymizer.IsPseudonym(trace.UserId))
        {
            throw new TraceFormatException("userId: not a pseudonym and no pseudonymizer is configured (personal data must not be stored in traces)");
        }

        TraceSerializer.Validate(trace);
        var json = TraceSerializer.Serialize(trace);
        var op = new RecordOp(trace, json, MerkleTree.HashLeaf(json), Time.GetUtcNow().ToUnixTimeMilliseconds());
        return EnqueueAsync(op, cancellationToken);
    }

    /// <summary>The record of a trace, or null when the id is unknown.</summary>
    /// <param name="id">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var records = await ReadRecordsAsync(SelectRecords + " WHERE t.id = @id", [("@id", id.ToString("D"))], cancellationToken).ConfigureAwait(false);
        return records.Count == 0 ? null : records[0];
    }

    /// <summary>
    /// Records matching a query, in recording order. A dataset id matches exactly (no pattern): the query is a lookup
    /// in the trace-to-dataset index.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<IReadOnlyList<TraceRecord>> ListAsync(TraceListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 10_000);
        var (sql, parameters) = BuildListQuery(query);
        return ReadRecordsAsync(sql, parameters, cancellationToken);
    }

    /// <summary>The SQL and parameters of <see cref="ListAsync"/> (the tests look at its query plan).</summary>
    internal static (string Sql, List<(string Name, object Value)> Parameters) BuildListQuery(TraceListQuery query)
    {
        var parameters = new List<(string Name, object Value)> { ("@after", query.AfterSequence) };
        StringBuilder sql;
        if (query.DatasetId is { } dataset)
        {
            // Driven by the (dataset_id, trace_seq) primary key: the rows of one dataset, already in recording order.
            sql = new StringBuilder(SelectColumns)
                .Append(" FROM trace_datasets d JOIN traces t ON t.seq = d.trace_seq LEFT JOIN batches b ON b.id = t.batch_id")
                .Append(" WHERE d.dataset_id = @dataset AND d.trace_seq > @after");
            parameters.Add(("@dataset", dataset));
        }
        else
        {
            sql = new StringBuilder(SelectRecords).Append(" WHERE t.seq > @after");
        }

        if (query.Status is { } status)
        {
            sql.Append(" AND t.status = @status");
            parameters.Add(("@status", (int)status));
        }

        if (query.Action is { } action)
        {
            sql.Append(" AND t.action = @action");
            parameters.Add(("@action", (int)action));
        }

        sql.Append(query.DatasetId is null ? " ORDER BY t.seq LIMIT " : " ORDER BY d.trace_seq LIMIT ").Append(query.Limit);
        return (sql.ToString(), parameters);
    }

    /// <summary>Counts of traces per status.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceStatusCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        var counts = new long[4];
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT status, COUNT(*) FROM traces GROUP BY status";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        return new TraceStatusCounts(counts[0], counts[1], counts[2], counts[3]);
    }

    /// <summary>Puts failed traces back to waiting so that the dispatcher tries them again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many traces were reset.</returns>
    public Task<int> RetryFailedAsync(CancellationToken cancellationToken = default) =>
        EnqueueAsync(new DelegateOp<int>(async ctx =>
            await ctx.ExecuteAsync("UPDATE traces SET status = 0, message = NULL, batch_id = NULL, leaf_index = NULL, proof = NULL WHERE status = 3").ConfigureAwait(false)),
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _writes.Writer.TryComplete();
        if (_writer is not null) await _writer.ConfigureAwait(false);
        if (_writeConnection is not null) await _writeConnection.DisposeAsync().ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store's own resources.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    // ---- dispatcher side -------------------------------------------------------------------------

    internal async Task<(long Count, long OldestRecordedAt)> GetWaitingAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*), MIN(recorded_ms) FROM traces WHERE status = 0";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var count = Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture);
                return count == 0 ? (0, 0) : (count, Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>Moves up to <paramref name="maxCount"/> waiting traces into a new batch with their proofs.</summary>
    internal Task<long?> CreateBatchAsync(int maxCount, CancellationToken cancellationToken) =>
        EnqueueAsync(new DelegateOp<long?>(async ctx =>
        {
            var rows = new List<(long Seq, byte[] Leaf)>();
            using (var select = ctx.Command("SELECT seq, leaf FROM traces WHERE status = 0 ORDER BY seq LIMIT " + maxCount))
            {
                var reader = await select.ExecuteReaderAsync().ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync().ConfigureAwait(false)) rows.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
                }
            }

            if (rows.Count == 0) return null;
            var tree = MerkleTree.Build(rows.ConvertAll(r => r.Leaf));
            long batchId;
            using (var insert = ctx.Command("INSERT INTO batches (root, count, state, created_ms, attempts) VALUES (@root, @count, 0, @now, 0) RETURNING id"))
            {
                ctx.Add(insert, "@root", tree.Root.ToArray());
                ctx.Add(insert, "@count", rows.Count);
                ctx.Add(insert, "@now", Time.GetUtcNow().ToUnixTimeMilliseconds());
                batchId = Convert.ToInt64(await insert.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            using var update = ctx.Command("UPDATE traces SET status = 1, batch_id = @batch, leaf_index = @index, proof = @proof WHERE seq = @seq");
            var pBatch = ctx.Add(update, "@batch", batchId);
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

            return batchId;
        }), cancellationToken);

    internal async Task<IReadOnlyList<OpenBatch>> GetOpenBatchesAsync(CancellationToken cancellationToken)
    {
        var batches = new List<OpenBatch>();
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT id, root, ticket_ref, ticket_payload, attempts FROM batches WHERE state = 0 ORDER BY id";
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var ticket = reader.IsDBNull(2) ? null : new LedgerTicket(reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
                        batches.Add(new OpenBatch(reader.GetInt64(0), (byte[])reader.GetValue(1), ticket, Convert.ToInt32(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture), []));
                    }
                }
            }

            for (var i = 0; i < batches.Count; i++)
            {
                var entries = new List<LedgerEntry>();
                using var command = connection.CreateCommand();
                // The dataset ids come from the stored canonical JSON, in the trace's order: the '|'-joined column cannot
                // tell the id "a|b" from the ids "a" and "b".
                command.CommandText = "SELECT id, action, json FROM traces WHERE batch_id = @batch ORDER BY leaf_index";
                var p = command.CreateParameter();
                p.ParameterName = "@batch";
                p.Value = batches[i].Id;
                command.Parameters.Add(p);
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var datasets = TraceSerializer.Deserialize((byte[])reader.GetValue(2)).ReferencedDatasetIds;
                        entries.Add(new LedgerEntry(Guid.Parse(reader.GetString(0)), (TraceUserAction)Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), datasets));
                    }
                }

                batches[i] = batches[i] with { Entries = entries };
            }
        }

        return batches;
    }

    internal Task SetTicketAsync(long batchId, LedgerTicket ticket, CancellationToken cancellationToken) =>
        EnqueueAsync(new DelegateOp<int>(ctx => ctx.ExecuteAsync(
            "UPDATE batches SET ticket_ref = @ref, ticket_payload = @payload, attempts = attempts + 1 WHERE id = @id",
            ("@ref", ticket.Reference), ("@payload", (object?)ticket.Payload ?? DBNull.Value), ("@id", batchId))), cancellationToken);

    internal Task MarkAnchoredAsync(long batchId, LedgerAnchor anchor, CancellationToken cancellationToken) =>
        EnqueueAsync(new DelegateOp<int>(async ctx =>
        {
            var now = Time.GetUtcNow().ToUnixTimeMilliseconds();
            await ctx.ExecuteAsync(
                "UPDATE batches SET state = 1, ledger = @ledger, ledger_batch = @lb, anchor_ref = @ref, position = @pos, message = NULL WHERE id = @id",
                ("@ledger", anchor.Ledger), ("@lb", anchor.BatchNumber), ("@ref", anchor.Reference), ("@pos", anchor.Position), ("@id", batchId)).ConfigureAwait(false);
            return await ctx.ExecuteAsync("UPDATE traces SET status = 2, anchored_ms = @now, message = NULL WHERE batch_id = @id", ("@now", now), ("@id", batchId)).ConfigureAwait(false);
        }), cancellationToken);

    internal Task MarkFailedAsync(long batchId, string message, CancellationToken cancellationToken) =>
        EnqueueAsync(new DelegateOp<int>(async ctx =>
        {
            await ctx.ExecuteAsync("UPDATE batches SET state = 2, message = @message WHERE id = @id", ("@message", message), ("@id", batchId)).ConfigureAwait(false);
            return await ctx.ExecuteAsync("UPDATE traces SET status = 3, message = @message WHERE batch_id = @id", ("@message", message), ("@id", batchId)).ConfigureAwait(false);
        }), cancellationToken);

    internal sealed record OpenBatch(long Id, byte[] Root, LedgerTicket? Ticket, int Attempts, IReadOnlyList<LedgerEntry> Entries)
    {
        public LedgerBatch ToLedgerBatch() => new(Root, Entries);
    }

    // ---- reading -----------------------------------------------------------------------------------

    private const string SelectColumns =
        "SELECT t.seq, t.json, t.status, t.message, t.recorded_ms, t.anchored_ms, t.batch_id, t.leaf_index, t.proof, " +
        "b.root, b.count, b.ledger, b.ledger_batch, b.anchor_ref, b.position";

    private const string SelectRecords = SelectColumns + " FROM traces t LEFT JOIN batches b ON b.id = t.batch_id";

    private async Task<IReadOnlyList<TraceRecord>> ReadRecordsAsync(string sql, IEnumerable<(string Name, object Value)> parameters, CancellationToken cancellationToken)
    {
        var records = new List<TraceRecord>();
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
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
                    records.Add(ReadRecord(reader));
                }
            }
        }

        return records;
    }

    private static TraceRecord ReadRecord(DbDataReader r)
    {
        var json = (byte[])r.GetValue(1);
        static long? L(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
        return new TraceRecord
        {
            Sequence = r.GetInt64(0),
            Trace = TraceSerializer.Deserialize(json),
            CanonicalJson = json,
            Status = (TraceStatus)Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
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
        };
    }

    // ---- the writer loop (group commit) ------------------------------------------------------------

    private async Task<T> EnqueueAsync<T>(WriteOp<T> op, CancellationToken cancellationToken)
    {
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(GetType().Name);
        return await op.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task EnqueueAsync(RecordOp op, CancellationToken cancellationToken)
    {
        if (!_writes.Writer.TryWrite(op)) throw new ObjectDisposedException(GetType().Name);
        return cancellationToken.CanBeCanceled ? op.Completion.Task.WaitAsync(cancellationToken) : op.Completion.Task;
    }

    private async Task WriterLoopAsync()
    {
        var group = new List<WriteOp>(_options.MaxGroupSize);
        var reader = _writes.Reader;
        var previous = 0;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < _options.MaxGroupSize && reader.TryRead(out var op)) group.Add(op);
            if (group.Count < previous / 2)
            {
                // The callers released by the last commit are still on their way back: let the queued
                // continuations run once so that they share this commit instead of waiting for the next.
                await Task.Yield();
                while (group.Count < _options.MaxGroupSize && reader.TryRead(out var op)) group.Add(op);
            }

            if (group.Count == 0) continue;
            previous = group.Count;
            await CommitGroupAsync(group).ConfigureAwait(false);
        }
    }

    private async Task CommitGroupAsync(List<WriteOp> group)
    {
        var connection = _writeConnection!;
        var recorded = 0;
        try
        {
            var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var ctx = new WriteContext(connection, transaction);
                try
                {
                    for (var i = 0; i < group.Count;)
                    {
                        if (group[i] is RecordOp)
                        {
                            // A run of recordings shares one prepared insert.
                            var run = new List<RecordOp>();
                            while (i < group.Count && run.Count < MaxRowsPerInsert && group[i] is RecordOp r)
                            {
                                run.Add(r);
                                i++;
                            }

                            await ctx.InsertAsync(run).ConfigureAwait(false);
                            recorded += run.Count;
                            continue;
                        }

                        await group[i].ExecuteAsync(ctx).ConfigureAwait(false);
                        i++;
                    }
                }
                finally
                {
                    ctx.Dispose();
                }

                await transaction.CommitAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or FormatException or ArgumentException)
        {
            foreach (var op in group) op.Fail(e);
            return;
        }

        GroupSizes.Record(group.Count);
        if (recorded > 0) Recorded.Add(recorded);
        foreach (var op in group) op.Complete();
        if (recorded > 0) Committed?.Invoke();
    }

    /// <summary>The transaction a group of writes runs in, with the insert command prepared once per group.</summary>
    internal sealed class WriteContext(DbConnection connection, DbTransaction transaction) : IDisposable
    {
        private DbCommand? _insert;
        private DbCommand? _insertDataset;
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

        public async Task InsertAsync(List<RecordOp> run)
        {
            if (_insert is null)
            {
                // One prepared statement per group, executed per row: SQLite binds by name in a linear scan of
                // the statement's variables, so one wide multi-row statement costs more than it saves.
                _insert = Command("INSERT INTO traces (id, action, datasets, json, leaf, status, recorded_ms) " +
                                  "VALUES (@i, @a, @d, @j, @l, 0, @t) ON CONFLICT (id) DO NOTHING RETURNING seq");
                Add(_insert, "@i", "");
                Add(_insert, "@a", 0);
                Add(_insert, "@d", "");
                Add(_insert, "@j", Array.Empty<byte>());
                Add(_insert, "@l", Array.Empty<byte>());
                Add(_insert, "@t", 0L);
                await _insert.PrepareAsync().ConfigureAwait(false);
            }

            var p = _insert.Parameters;
            foreach (var op in run)
            {
                p[0].Value = op.Trace.Id.ToString("D");
                p[1].Value = (int)op.Trace.UserAction;
                p[2].Value = "|" + string.Join('|', op.Trace.ReferencedDatasetIds) + "|";
                p[3].Value = op.Json;
                p[4].Value = op.Leaf;
                p[5].Value = op.RecordedAt;
                if (await _insert.ExecuteScalarAsync().ConfigureAwait(false) is { } seq)
                {
                    // The dataset index is written in the same transaction as the trace: both or neither.
                    _insertDataset ??= await OutboxSchema.PrepareDatasetInsertAsync(this).ConfigureAwait(false);
                    await OutboxSchema.InsertDatasetsAsync(_insertDataset, Convert.ToInt64(seq, System.Globalization.CultureInfo.InvariantCulture), op.Trace).ConfigureAwait(false);
                    continue;
                }

                // Already stored: fine when the content is identical (a retried call), an error for that caller otherwise.
                if (_existing is null)
                {
                    _existing = Command("SELECT json FROM traces WHERE id = @id");
                    Add(_existing, "@id", "");
                }

                _existing.Parameters[0].Value = op.Trace.Id.ToString("D");
                var stored = (byte[]?)await _existing.ExecuteScalarAsync().ConfigureAwait(false);
                if (stored is null || !stored.AsSpan().SequenceEqual(op.Json))
                {
                    op.Result = new DuplicateTraceException($"trace {op.Trace.Id} is already recorded with different content");
                }
            }
        }

        public void Dispose()
        {
            _insert?.Dispose();
            _insertDataset?.Dispose();
            _existing?.Dispose();
        }
    }

    internal abstract class WriteOp
    {
        public Exception? Result { get; set; }

        public abstract Task ExecuteAsync(WriteContext ctx);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    internal abstract class WriteOp<T> : WriteOp
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected T Value { get; set; } = default!;

        public override void Complete()
        {
            if (Result is not null) Completion.TrySetException(Result);
            else Completion.TrySetResult(Value);
        }

        public override void Fail(Exception e) => Completion.TrySetException(e);
    }

    internal sealed class RecordOp(Trace trace, byte[] json, byte[] leaf, long recordedAt) : WriteOp<bool>
    {
        public Trace Trace { get; } = trace;

        public byte[] Json { get; } = json;

        public byte[] Leaf { get; } = leaf;

        public long RecordedAt { get; } = recordedAt;

        public override Task ExecuteAsync(WriteContext ctx) => ctx.InsertAsync([this]);
    }

    internal sealed class DelegateOp<T>(Func<WriteContext, Task<T>> action) : WriteOp<T>
    {
        public override async Task ExecuteAsync(WriteContext ctx) => Value = await action(ctx).ConfigureAwait(false);
    }
}
