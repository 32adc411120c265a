namespace ImagingRepo.Service.Datasets;

/// <summary>
/// What the dataset endpoints need from the creation pipeline (the consumer's interface; the pipeline in
/// <c>Creation/</c> implements it). The dataset, its studies and subjects and a <c>pending</c> status are already
/// committed when <see cref="EnqueueAsync"/> is called; the pipeline reports through <see cref="IDatasetCreationStore"/>.
/// </summary>
internal interface IDatasetCreationQueue
{
    /// <summary>Queues the creation of a stored dataset; returns once the work is durably queued (it survives a restart).</summary>
    Task EnqueueAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Stops a creation before its dataset is deleted; returns once no worker touches the dataset any more.</summary>
    Task CancelAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Queues again a creation that failed or was interrupted (<c>POST /datasets/{id}/restartCreation</c>).</summary>
    Task RestartAsync(string datasetId, CancellationToken cancellationToken);
}

/// <summary>
/// What the creation pipeline needs from the service's storage (the service implements it): the input of a creation,
/// its progress, and its end, each change in its own transaction.
/// </summary>
internal interface IDatasetCreationStore
{
    /// <summary>The dataset, its studies in order and its subjects; null when the dataset was deleted meanwhile.</summary>
    Task<DatasetCreationInput?> GetInputAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Records progress (<c>running</c> with a message) or a failure (<c>error</c> with the reason).</summary>
    Task SetStatusAsync(string datasetId, DatasetCreationStatus status, CancellationToken cancellationToken);

    /// <summary>
    /// Ends a creation in one transaction: replaces the studies with the ones kept (with their hashes, sizes and
    /// facts), stores counts and aggregates, clears <c>creating</c>, removes the status row and records the
    /// CREATE_DATASET trace with the content hashes (unless <see cref="DatasetCreationResult.TraceRecorded"/>). A dataset
    /// already created is left as it is, so that a creation resumed after a crash may complete again. False when the
    /// dataset no longer exists.
    /// </summary>
    Task<bool> CompleteAsync(string datasetId, DatasetCreationResult result, CancellationToken cancellationToken);
}

/// <summary>What a creation works on.</summary>
/// <param name="Dataset">The dataset (a draft being created).</param>
/// <param name="Studies">Its studies as requested, in order.</param>
/// <param name="Subjects">Its subjects with their clinical data (the <c>eforms.json</c> content).</param>
internal sealed record DatasetCreationInput(DatasetRecord Dataset, IReadOnlyList<StudyRecord> Studies, IReadOnlyList<SubjectRecord> Subjects);

/// <summary>What a finished creation found.</summary>
/// <param name="Studies">The studies kept (missing series and studies pruned), with hash, size and facts.</param>
/// <param name="SubjectsCount">Distinct subjects among <paramref name="Studies"/>.</param>
/// <param name="SizeInBytes">Total size of the files of the kept series plus the eforms file.</param>
/// <param name="Metadata">The MIABIS aggregates (<see cref="DatasetMetadata"/>), or null when nothing was read.</param>
/// <param name="ContentHashes">Base64 SHA3-256 of <c>index</c>, <c>images</c> and <c>clinicalData</c>, for the CREATE_DATASET trace.</param>
internal sealed record DatasetCreationResult(
    IReadOnlyList<StudyRecord> Studies,
    int SubjectsCount,
    long? SizeInBytes,
    DatasetMetadata? Metadata,
    IReadOnlyList<DatasetContentHash> ContentHashes)
{
    /// <summary>
    /// Whether the pipeline recorded the CREATE_DATASET trace itself (the durable pipeline does, once per operation,
    /// before it completes the dataset); completing then records none.
    /// </summary>
    public bool TraceRecorded { get; init; }
}

/// <summary>One hashed resource of a dataset (<c>index</c>, <c>images</c>, <c>clinicalData</c>).</summary>
/// <param name="ResourceId">The resource's name in the trace.</param>
/// <param name="Sha3_256Base64">Its SHA3-256 digest in base64.</param>
internal sealed record DatasetContentHash(string ResourceId, string Sha3_256Base64);
