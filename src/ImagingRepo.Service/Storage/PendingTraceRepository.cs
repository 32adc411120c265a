namespace ImagingRepo.Service.Storage;

/// <summary>
/// Traces written in the same transaction as the change they record (<c>pending_traces</c>), until the forwarder has
/// handed them to the trace outbox: a change is never committed without its trace, nor a trace without its change.
/// </summary>
internal sealed class PendingTraceRepository
{
    public Task<int> AddAsync(DbSession session, string id, string traceJson, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO pending_traces (id, trace, created_at) VALUES (@id, @trace, @at)", cancellationToken,
            ("@id", id), ("@trace", traceJson), ("@at", at.ToUnixTimeMilliseconds()));

    public Task<List<(string Id, string Trace)>> OldestAsync(DbSession session, int count, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT id, trace FROM pending_traces ORDER BY created_at, id LIMIT @count",
            r => (r.GetString(0), r.GetString(1)), cancellationToken, ("@count", count));

    public Task<int> RemoveAsync(DbSession session, string id, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM pending_traces WHERE id = @id", cancellationToken, ("@id", id));
}
