using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// At start, queues the creations of datasets that were stored but never queued: a process killed between committing a
/// new dataset and queueing its creation would otherwise leave it <c>pending</c> for ever. Queueing is idempotent, so
/// replicas starting together do no harm. Where Jobs run the creations, one is started when any waits.
/// </summary>
internal sealed partial class UnqueuedCreationRecovery(
    Database database,
    CreationStatusRepository statuses,
    DatasetCreationOperations operations,
    PipelineCreationQueue queue,
    ILogger<UnqueuedCreationRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var pending = await database.ReadAsync(s => statuses.PendingAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false);
        foreach (var datasetId in pending)
        {
            if (await operations.GetAsync(datasetId, cancellationToken).ConfigureAwait(false) is not null) continue;
            LogRecovering(datasetId);
            await queue.EnqueueAsync(datasetId, cancellationToken).ConfigureAwait(false);
        }

        // creations run by Jobs: one whose Job never started (or was lost with its node) gets one now
        if (pending.Count > 0) await queue.LaunchAsync(pending[0], cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dataset {DatasetId}: its creation was never queued (the service stopped in between); queueing it now")]
    private partial void LogRecovering(string datasetId);
}
