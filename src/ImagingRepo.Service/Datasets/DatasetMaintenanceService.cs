using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;

namespace ImagingRepo.Service.Datasets;

/// <summary>The superadmin's operations on datasets: integrity checks, restarting a creation, file permissions, metadata.</summary>
internal sealed class DatasetMaintenanceService(
    Database database,
    DatasetRepository datasets,
    CreationStatusRepository creationStatus,
    IDatasetCreationQueue creationQueue,
    IDatasetMaintenance maintenance,
    TimeProvider time)
{
    public async Task<OperationResultWire> CheckIntegrityAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        await RequireAsync(user, id, cancellationToken).ConfigureAwait(false);
        return await maintenance.CheckIntegrityAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<DatasetOperationResultWire>> CheckAllAsync(PlatformUser user, CancellationToken cancellationToken) =>
        await ForAllAsync(user, id => maintenance.CheckIntegrityAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task<OperationResultWire> RecollectMetadataAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        await RequireAsync(user, id, cancellationToken).ConfigureAwait(false);
        return await maintenance.RecollectMetadataAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<List<DatasetOperationResultWire>> RecollectAllAsync(PlatformUser user, CancellationToken cancellationToken) =>
        await ForAllAsync(user, id => maintenance.RecollectMetadataAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async Task ReadjustFilePermissionsAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        await RequireAsync(user, id, cancellationToken).ConfigureAwait(false);
        await maintenance.ReadjustFilePermissionsAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a creation again; only while the dataset is still being created (or failed).</summary>
    public async Task RestartCreationAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        await RequireAsync(user, id, cancellationToken).ConfigureAwait(false);
        await database.InTransactionAsync(async session =>
        {
            var dataset = await datasets.GetAsync(session, id, true, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.NotFound($"No dataset '{id}'.");
            if (!dataset.Creating) throw ServiceProblemException.Conflict($"The dataset '{id}' has been created already; there is nothing to restart.");
            var status = await creationStatus.GetAsync(session, id, cancellationToken).ConfigureAwait(false);
            if (status?.State == DatasetCreationState.Running)
            {
                throw ServiceProblemException.Conflict($"The creation of the dataset '{id}' is running; cancel it before restarting it.");
            }

            await creationStatus.SetAsync(session, id, new DatasetCreationStatus(DatasetCreationState.Pending, "Restarting the creation."), time.GetUtcNow(),
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await creationQueue.RestartAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private async Task RequireAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        RequireSuperadmin(user);
        if (await database.ReadAsync(s => datasets.GetAsync(s, id, false, cancellationToken), cancellationToken).ConfigureAwait(false) is null)
        {
            throw ServiceProblemException.NotFound($"No dataset '{id}'.");
        }
    }

    private async Task<List<DatasetOperationResultWire>> ForAllAsync(PlatformUser user, Func<string, Task<OperationResultWire>> operation, CancellationToken cancellationToken)
    {
        RequireSuperadmin(user);
        var (all, _) = await database.ReadAsync(s => datasets.SearchAsync(s, new DatasetSearch { Visibility = DatasetVisibility.All, Limit = 0, Descending = false },
            cancellationToken), cancellationToken).ConfigureAwait(false);
        var results = new List<DatasetOperationResultWire>();
        foreach (var dataset in all)
        {
            results.Add(new DatasetOperationResultWire(dataset.Id, await operation(dataset.Id).ConfigureAwait(false)));
        }

        return results;
    }

    private static void RequireSuperadmin(PlatformUser user)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!user.IsSuperadmin) throw ServiceProblemException.Forbidden("This operation needs the role superadmin_datasets.");
    }
}
