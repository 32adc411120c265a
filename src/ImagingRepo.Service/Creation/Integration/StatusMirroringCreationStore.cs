using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Logging;
using PipelineResult = ImagingRepo.Service.Creation.DatasetCreationResult;
using PipelineStatus = ImagingRepo.Service.Creation.Operations.DatasetCreationStatus;
using PipelineStore = ImagingRepo.Service.Creation.Operations.IDatasetCreationStore;
using ServiceCreationStore = ImagingRepo.Service.Datasets.IDatasetCreationStore;
using ServiceCreationStatus = ImagingRepo.Service.Datasets.DatasetCreationStatus;
using ServiceState = ImagingRepo.Service.Datasets.DatasetCreationState;

namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// The pipeline's operation store, with each change of a run shown on the dataset's <c>creationStatus</c> (running with
/// the last message, error with the reason, pending when given back). The operation store stays the truth: the status
/// is what users read, and a failure to show it never fails the run.
/// </summary>
internal sealed partial class StatusMirroringCreationStore(PipelineStore inner, ServiceCreationStore datasets, ILogger<StatusMirroringCreationStore> logger)
    : PipelineStore
{
    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<bool> EnqueueAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default) => inner.EnqueueAsync(request, cancellationToken);

    public Task<DatasetCreationState?> GetAsync(string datasetId, CancellationToken cancellationToken = default) => inner.GetAsync(datasetId, cancellationToken);

    public Task<CancelOutcome> CancelAsync(string datasetId, CancellationToken cancellationToken = default) => inner.CancelAsync(datasetId, cancellationToken);

    public Task<RestartOutcome> RestartAsync(string datasetId, CancellationToken cancellationToken = default) => inner.RestartAsync(datasetId, cancellationToken);

    public Task<bool> DeleteAsync(string datasetId, CancellationToken cancellationToken = default) => inner.DeleteAsync(datasetId, cancellationToken);

    public async Task<ClaimedCreation?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var claim = await inner.ClaimNextAsync(owner, lease, cancellationToken).ConfigureAwait(false);
        if (claim is not null)
        {
            await ShowAsync(claim.DatasetId, ServiceState.Running,
                claim.Attempts == 1 ? "The creation started." : $"The creation resumed (run {claim.Attempts}).").ConfigureAwait(false);
        }

        return claim;
    }

    public async Task<LeaseState> RenewAsync(string datasetId, string owner, TimeSpan lease, string? message, CancellationToken cancellationToken = default)
    {
        var state = await inner.RenewAsync(datasetId, owner, lease, message, cancellationToken).ConfigureAwait(false);
        if (state == LeaseState.Held && message is not null) await ShowAsync(datasetId, ServiceState.Running, message).ConfigureAwait(false);
        return state;
    }

    public Task<bool> SaveResultAsync(string datasetId, string owner, PipelineResult result, CreateDatasetTrace trace, CancellationToken cancellationToken = default) =>
        inner.SaveResultAsync(datasetId, owner, result, trace, cancellationToken);

    public async Task<bool> CompleteAsync(string datasetId, string owner, PipelineStatus status, string message, CancellationToken cancellationToken = default)
    {
        var completed = await inner.CompleteAsync(datasetId, owner, status, message, cancellationToken).ConfigureAwait(false);

        // finished: the result sink already ended "creating" and removed the status with it
        if (completed && status == PipelineStatus.Error) await ShowAsync(datasetId, ServiceState.Error, message).ConfigureAwait(false);
        return completed;
    }

    public async Task<bool> ReleaseAsync(string datasetId, string owner, string message, CancellationToken cancellationToken = default)
    {
        var released = await inner.ReleaseAsync(datasetId, owner, message, cancellationToken).ConfigureAwait(false);
        if (released) await ShowAsync(datasetId, ServiceState.Pending, message).ConfigureAwait(false);
        return released;
    }

    private async Task ShowAsync(string datasetId, ServiceState state, string message)
    {
        try
        {
            // not cancellable: the run's own token may be the one that just stopped it
            await datasets.SetStatusAsync(datasetId, new ServiceCreationStatus(state, message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogNotShown(e, datasetId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dataset {DatasetId}: the creation status could not be updated; the operation goes on")]
    private partial void LogNotShown(Exception exception, string datasetId);
}
