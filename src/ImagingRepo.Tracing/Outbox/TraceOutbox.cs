using System.Data.Common;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>
/// The durable outbox: <see cref="RecordAsync"/> returns only once the trace is committed to the local
/// database. All writes go through one writer loop that commits whatever is pending in one transaction
/// (group commit), so many concurrent callers share each disk flush. The dispatcher
/// (<see cref="TraceDispatcher"/>) takes waiting traces from here and anchors them.
/// </summary>
/// <remarks>
/// A store (SQLite, PostgreSQL) gives connections and its schema; the work is done by small internal parts: the
/// group-commit writer, the dispatcher's batch store, the record reader and the statements they share.
/// </remarks>
public abstract class TraceOutbox : IAsyncDisposable
{
    private readonly TraceOutboxOptions _options;
    private readonly TraceRecordReader _reader;
    private GroupCommitWriter? _writer;
    private OutboxBatchStore? _batches;
    private int _disposed;

    /// <summary>Creates the outbox.</summary>
    /// <param name="options">Options.</param>
    protected TraceOutbox(TraceOutboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _reader = new TraceRecordReader(OpenConnectionAsync);
    }

    /// <summary>Raised (on the writer loop) after traces were committed; the dispatcher listens to wake up.</summary>
    internal event Action? Committed;

    /// <summary>The dispatcher's side: batches, tickets and outcomes.</summary>
    internal OutboxBatchStore Batches => _batches ?? throw new InvalidOperationException("the outbox is not initialized");

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
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await OutboxSchema.CreateOrMigrateAsync(connection, SchemaLockStatement, SchemaStatements, cancellationToken).ConfigureAwait(false);
        _writer = new GroupCommitWriter(connection, _options.MaxGroupSize, () => Committed?.Invoke());
        _batches = new OutboxBatchStore(_writer, OpenConnectionAsync, Time);
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
        return Writer.RecordAsync(op, cancellationToken);
    }

    /// <summary>The record of a trace, or null when the id is unknown.</summary>
    /// <param name="id">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var records = await _reader.ReadAsync(OutboxSql.SelectRecordById, [("@id", id.ToString("D"))], cancellationToken).ConfigureAwait(false);
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
        return query.DatasetId is null ? ReadAsync(query, cancellationToken) : ListByDatasetAsync(query, query.DatasetId, cancellationToken);
    }

    /// <summary>
    /// A page of one dataset's traces. The query's waiting side matches on a column that can return traces of other
    /// datasets (see <see cref="OutboxSql.BuildListQuery"/>): those rows, and the second row of a trace found on both
    /// sides, are dropped here, and a page left short is filled by asking again after its last row.
    /// </summary>
    private async Task<IReadOnlyList<TraceRecord>> ListByDatasetAsync(TraceListQuery query, string datasetId, CancellationToken cancellationToken)
    {
        var page = new List<TraceRecord>(Math.Min(query.Limit, 1_000));
        var after = query.AfterSequence;
        while (true)
        {
            var wanted = query.Limit - page.Count;
            var rows = await ReadAsync(query with { AfterSequence = after, Limit = wanted }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                // Rows come in sequence order, so the two rows of one trace are neighbours.
                if (page.Count > 0 && page[^1].Sequence == row.Sequence) continue;
                if (row.Trace.ReferencedDatasetIds.Contains(datasetId, StringComparer.Ordinal)) page.Add(row);
            }

            if (rows.Count < wanted || page.Count == query.Limit) return page;
            after = rows[^1].Sequence;
        }
    }

    private Task<IReadOnlyList<TraceRecord>> ReadAsync(TraceListQuery query, CancellationToken cancellationToken)
    {
        var (sql, parameters) = OutboxSql.BuildListQuery(query);
        return _reader.ReadAsync(sql, parameters, cancellationToken);
    }

    /// <summary>Counts of traces per status.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<TraceStatusCounts> CountAsync(CancellationToken cancellationToken = default) => _reader.CountAsync(cancellationToken);

    /// <summary>Puts failed traces back to waiting so that the dispatcher tries them again.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many traces were reset.</returns>
    public Task<int> RetryFailedAsync(CancellationToken cancellationToken = default) =>
        Writer.EnqueueAsync(ctx => ctx.ExecuteAsync(OutboxSql.RetryFailed), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_writer is not null) await _writer.DisposeAsync().ConfigureAwait(false);
        await DisposeCoreAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the store's own resources.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;

    private GroupCommitWriter Writer => _writer ?? throw new InvalidOperationException("the outbox is not initialized");
}
