using System.Text.Json;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServiceCreationStore = ImagingRepo.Service.Datasets.IDatasetCreationStore;
using PipelineStatus = ImagingRepo.Service.Creation.Operations.DatasetCreationStatus;
using ServiceCreationStatus = ImagingRepo.Service.Datasets.DatasetCreationStatus;
using ServiceState = ImagingRepo.Service.Datasets.DatasetCreationState;

namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// The service's creation queue on the durable pipeline: a stored dataset becomes a <see cref="DatasetCreationRequest"/>
/// kept with its operation, which the worker (or a creation Job) runs with claims and leases, so that a creation survives
/// a restart or a killed process.
/// </summary>
internal sealed partial class PipelineCreationQueue(
    ServiceCreationStore datasets,
    DatasetCreationOperations operations,
    IOptions<DatasetCreationOptions> options,
    IEnumerable<IDatasetCreationLauncher> launchers,
    TimeProvider time,
    ILogger<PipelineCreationQueue> logger) : IDatasetCreationQueue
{
    public async Task EnqueueAsync(string datasetId, CancellationToken cancellationToken)
    {
        var input = await datasets.GetInputAsync(datasetId, cancellationToken).ConfigureAwait(false);
        if (input is null) return;
        try
        {
            // false: the operation exists already (queued before a crash, or by another replica)
            if (await operations.StartAsync(ToRequest(input), cancellationToken).ConfigureAwait(false)) await LaunchAsync(datasetId, cancellationToken).ConfigureAwait(false);
        }
        catch (DatasetCreationRequestException e)
        {
            var reason = string.Join("; ", e.Problems);
            LogRefused(datasetId, reason);
            await datasets.SetStatusAsync(datasetId, new ServiceCreationStatus(ServiceState.Error, "The creation request was refused: " + reason),
                cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task CancelAsync(string datasetId, CancellationToken cancellationToken)
    {
        if (await operations.CancelAsync(datasetId, cancellationToken).ConfigureAwait(false) == CancelOutcome.NotFound) return;

        // A running worker stops at its next heartbeat; one that died stops holding the claim when its lease lapses.
        var deadline = time.GetUtcNow() + options.Value.LeaseDuration + options.Value.HeartbeatInterval;
        while (await operations.GetAsync(datasetId, cancellationToken).ConfigureAwait(false) is { Status: PipelineStatus.Running or PipelineStatus.Pending }
               && time.GetUtcNow() < deadline)
        {
            await Task.Delay(options.Value.HeartbeatInterval / 2, time, cancellationToken).ConfigureAwait(false);
        }

        if (!await operations.DeleteAsync(datasetId, cancellationToken).ConfigureAwait(false))
        {
            throw ServiceProblemException.Conflict(
                $"The creation of the dataset '{datasetId}' is still running and could not be stopped; try again shortly.");
        }
    }

    public async Task RestartAsync(string datasetId, CancellationToken cancellationToken)
    {
        switch (await operations.RestartAsync(datasetId, cancellationToken).ConfigureAwait(false))
        {
            case RestartOutcome.NotFound:
                await EnqueueAsync(datasetId, cancellationToken).ConfigureAwait(false);
                break;
            case RestartOutcome.Restarted:
                await LaunchAsync(datasetId, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Starts the runners (a Kubernetes Job); the operation is queued durably, so a failure here only delays it.</summary>
    internal async Task LaunchAsync(string datasetId, CancellationToken cancellationToken)
    {
        foreach (var launcher in launchers)
        {
            try
            {
                await launcher.LaunchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotLaunched(e, datasetId);
                await datasets.SetStatusAsync(datasetId, new ServiceCreationStatus(ServiceState.Pending,
                    "Queued, but the creation Job could not be started; it starts at the next restart of the creation or of the service."),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The request the pipeline keeps: the dataset's studies in order and the subjects' eForms.</summary>
    internal static DatasetCreationRequest ToRequest(DatasetCreationInput input) => new()
    {
        DatasetId = input.Dataset.Id,
        AuthorId = input.Dataset.AuthorId,
        Studies =
        [
            .. input.Studies.Select(s => new SelectedStudy
            {
                StudyId = s.StudyId,
                StudyName = s.StudyName,
                SubjectName = s.SubjectName,
                PathInDatalake = s.PathInDatalake,
                Series = [.. s.Series.Select(r => new SelectedSeries(r.FolderName, r.Tags))],
                Url = s.Url,
            }),
        ],
        Subjects =
        [
            .. input.Subjects.Where(s => s.EForm is not null).Select(s =>
            {
                using var form = JsonDocument.Parse(s.EForm!);
                return new SubjectEform(s.SubjectName, form.RootElement.Clone());
            }),
        ],
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Dataset {DatasetId}: the creation is queued but its Job could not be started")]
    private partial void LogNotLaunched(Exception exception, string datasetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dataset {DatasetId}: the creation request was refused: {Reason}")]
    private partial void LogRefused(string datasetId, string reason);
}
