using ImagingRepo.Service.Storage;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Traces;

/// <summary>
/// Moves pending traces from the service's database into the trace outbox, oldest first, and deletes each one once the
/// outbox has it. Recording is idempotent on the trace id, so a crash between the two steps, or two replicas forwarding
/// the same row, neither loses nor doubles a trace.
/// </summary>
internal sealed partial class TraceForwarder(Database database, PendingTraceRepository pending, TraceStoreProvider traces, TimeProvider time, ILogger<TraceForwarder> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);

    /// <summary>Forwards what is pending now; returns how many traces went to the outbox.</summary>
    public async Task<int> ForwardAsync(CancellationToken cancellationToken)
    {
        var store = await traces.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        var forwarded = 0;
        while (true)
        {
            var batch = await database.ReadAsync(s => pending.OldestAsync(s, 100 + _rejected.Count, cancellationToken), cancellationToken).ConfigureAwait(false);
            batch.RemoveAll(row => _rejected.Contains(row.Id));
            if (batch.Count == 0) return forwarded;
            foreach (var (id, json) in batch)
            {
                try
                {
                    await store.Outbox.RecordAsync(TraceSerializer.Deserialize(json), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TraceFormatException or ImagingRepo.Tracing.Outbox.DuplicateTraceException)
                {
                    // Kept in the table for an operator to look at; the others go on.
                    _rejected.Add(id);
                    LogRejected(e, id);
                    continue;
                }

                await database.InTransactionAsync(s => pending.RemoveAsync(s, id, cancellationToken), cancellationToken).ConfigureAwait(false);
                forwarded++;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ForwardAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(e);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The trace outbox refused pending trace {TraceId}; it stays in pending_traces")]
    private partial void LogRejected(Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding pending traces failed; trying again")]
    private partial void LogFailed(Exception exception);
}
