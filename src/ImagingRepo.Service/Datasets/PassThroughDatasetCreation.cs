namespace ImagingRepo.Service.Datasets;

/// <summary>
/// Stands in for the creation pipeline until it is installed: completes each creation at once with the studies as
/// requested, without reading the data lake (no pruning, no metadata, no content hashes), and answers the maintenance
/// operations with "not checked".
/// </summary>
internal sealed class PassThroughDatasetCreation(IDatasetCreationStore store) : IDatasetCreationQueue, IDatasetMaintenance
{
    public async Task EnqueueAsync(string datasetId, CancellationToken cancellationToken)
    {
        var input = await store.GetInputAsync(datasetId, cancellationToken).ConfigureAwait(false);
        if (input is null) return;
        await store.CompleteAsync(datasetId, new DatasetCreationResult(
            input.Studies,
            input.Studies.Select(s => s.SubjectName).Distinct(StringComparer.Ordinal).Count(),
            SizeInBytes: null,
            Metadata: null,
            ContentHashes: []), cancellationToken).ConfigureAwait(false);
    }

    public Task CancelAsync(string datasetId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RestartAsync(string datasetId, CancellationToken cancellationToken) => EnqueueAsync(datasetId, cancellationToken);

    public Task<OperationResultWire> CheckIntegrityAsync(string datasetId, CancellationToken cancellationToken) =>
        Task.FromResult(new OperationResultWire(false, "Not checked: no creation pipeline is installed to hash the dataset."));

    public Task<OperationResultWire> RecollectMetadataAsync(string datasetId, CancellationToken cancellationToken) =>
        Task.FromResult(new OperationResultWire(false, "Not recollected: no creation pipeline is installed to read the dataset."));

    public Task ReadjustFilePermissionsAsync(string datasetId, CancellationToken cancellationToken) => Task.CompletedTask;
}
