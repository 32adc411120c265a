namespace ImagingRepo.Client.Datasets;

/// <summary>
/// A dataset being created: the service checks the studies in the lake, collects metadata, links the study folders
/// and hashes them, which takes from seconds to hours. Await it (<see cref="WaitForCompletionAsync"/>, with progress),
/// poll it (<see cref="UpdateStatusAsync"/>), or keep its <see cref="Id"/> and resume in another process with
/// <see cref="DatasetsClient.GetCreationOperation"/>.
/// </summary>
public sealed class DatasetCreationOperation
{
    private readonly DatasetsClient _client;
    private readonly TimeSpan _pollInterval;
    private readonly TimeProvider _time;

    internal DatasetCreationOperation(DatasetsClient client, string id, Uri? explorerUrl, TimeSpan pollInterval, TimeProvider time)
    {
        _client = client;
        Id = id;
        ExplorerUrl = explorerUrl;
        _pollInterval = pollInterval;
        _time = time;
    }

    /// <summary>The new dataset's id: what resumes the operation.</summary>
    public string Id { get; }

    /// <summary>The dataset's page in the dataset explorer, when the service named it.</summary>
    public Uri? ExplorerUrl { get; }

    /// <summary>The status last read, or null before the first poll.</summary>
    public DatasetCreationStatus? LastStatus { get; private set; }

    /// <summary>True once the creation finished or failed.</summary>
    public bool HasCompleted => LastStatus?.Status is { } state && (state == DatasetCreationState.Finished || state == DatasetCreationState.Error);

    /// <summary>Asks the service once where the creation stands.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<DatasetCreationStatus> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        LastStatus = await _client.GetCreationStatusAsync(Id, cancellationToken).ConfigureAwait(false);
        return LastStatus;
    }

    /// <summary>
    /// Polls until the creation ends, telling <paramref name="progress"/> of every change of state or message, and
    /// returns the finished dataset.
    /// </summary>
    /// <param name="progress">Told each new status, or null.</param>
    /// <param name="cancellationToken">Stops waiting (the creation goes on in the service).</param>
    /// <exception cref="DatasetCreationFailedException">The creation ended in error.</exception>
    public async Task<DatasetDetails> WaitForCompletionAsync(IProgress<DatasetCreationStatus>? progress = null, CancellationToken cancellationToken = default)
    {
        DatasetCreationStatus? reported = null;
        // Polling at the interval the options set: the protocol of a long operation, not a retry of a failure.
        while (true)
        {
            var status = await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
            if (status != reported)
            {
                progress?.Report(status);
                reported = status;
            }

            if (status.Status == DatasetCreationState.Error) throw new DatasetCreationFailedException(Id, status.LastMessage);
            if (status.Status == DatasetCreationState.Finished) return await _client.GetDatasetAsync(Id, cancellationToken).ConfigureAwait(false);
            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The dataset id and the last status.</summary>
    public override string ToString() => $"creation of dataset {Id}: {LastStatus?.Status?.Value ?? "not polled"}";
}
