using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Operations;

namespace ImagingRepo.Service.Creation;

/// <summary>
/// What the service's endpoints call: validate and queue a creation (<c>POST /datasets</c>), read its status
/// (<c>creationStatus</c>), cancel it, restart it (<c>restartCreation</c>) and forget it with its folder (delete of a
/// draft). The work itself runs in a <see cref="DatasetCreationWorker"/> of some replica.
/// </summary>
public sealed class DatasetCreationOperations
{
    private readonly IDatasetCreationStore _store;
    private readonly IDataLake _lake;
    private readonly DatasetCreator _creator;
    private readonly DatasetCreationSignal _signal;

    /// <summary>Creates the facade.</summary>
    /// <param name="store">The operations.</param>
    /// <param name="lake">The data lake (paths are checked against it before anything is queued).</param>
    /// <param name="creator">Removes a deleted dataset's folder.</param>
    /// <param name="signal">Wakes this replica's worker.</param>
    public DatasetCreationOperations(IDatasetCreationStore store, IDataLake lake, DatasetCreator creator, DatasetCreationSignal signal)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _lake = lake ?? throw new ArgumentNullException(nameof(lake));
        _creator = creator ?? throw new ArgumentNullException(nameof(creator));
        _signal = signal ?? throw new ArgumentNullException(nameof(signal));
    }

    /// <summary>
    /// Every problem of <paramref name="request"/>: the rules of <see cref="DatasetCreationRequestRules"/>, then, when
    /// they hold, each study path checked against the lake for links that lead out of it. A study missing from the lake
    /// is not a problem here (the operation reports it); the lake may still be filling.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<DatasetCreationProblem>> ValidateAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default)
    {
        var problems = DatasetCreationRequestRules.Check(request);
        if (problems.Count > 0) return problems;
        var escapes = new List<DatasetCreationProblem>();
        for (var i = 0; i < request.Studies.Count; i++)
        {
            try
            {
                await _lake.FindStudyAsync(request.Studies[i].PathInDatalake, cancellationToken);
            }
            catch (DataLakePathException e)
            {
                escapes.Add(new DatasetCreationProblem($"studies[{i}].pathInDatalake", e.Message));
            }
        }

        return escapes;
    }

    /// <summary>Validates and queues a creation; false when the dataset has an operation already.</summary>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DatasetCreationRequestException">The request has problems; nothing was queued.</exception>
    public async Task<bool> StartAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default)
    {
        var problems = await ValidateAsync(request, cancellationToken);
        if (problems.Count > 0) throw new DatasetCreationRequestException(problems);
        var queued = await _store.EnqueueAsync(request, cancellationToken);
        if (queued) _signal.Notify();
        return queued;
    }

    /// <summary>The operation of a dataset (status, last message, result once hashed), or null.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<DatasetCreationState?> GetAsync(string datasetId, CancellationToken cancellationToken = default) => _store.GetAsync(datasetId, cancellationToken);

    /// <summary>Cancels a pending operation, or asks a running one to stop and remove what it laid out.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<CancelOutcome> CancelAsync(string datasetId, CancellationToken cancellationToken = default) => _store.CancelAsync(datasetId, cancellationToken);

    /// <summary>Queues an operation in error again (after the cause was fixed).</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<RestartOutcome> RestartAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        var outcome = await _store.RestartAsync(datasetId, cancellationToken);
        if (outcome == RestartOutcome.Restarted) _signal.Notify();
        return outcome;
    }

    /// <summary>Forgets the operation of a deleted dataset and removes its folder (links only); false when there is none or it is running.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<bool> DeleteAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        if (!await _store.DeleteAsync(datasetId, cancellationToken)) return false;
        _creator.RemoveLayout(datasetId);
        return true;
    }
}

/// <summary>A creation request was refused; <see cref="Problems"/> says why, field by field (for a 400 problem response).</summary>
public sealed class DatasetCreationRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetCreationRequestException() : this([]) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public DatasetCreationRequestException(string message) : base(message) => Problems = [];

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetCreationRequestException(string message, Exception innerException) : base(message, innerException) => Problems = [];

    /// <summary>Creates the exception from the problems found.</summary>
    /// <param name="problems">What is wrong.</param>
    public DatasetCreationRequestException(IReadOnlyList<DatasetCreationProblem> problems)
        : base("invalid creation request: " + string.Join("; ", problems ?? [])) => Problems = problems ?? [];

    /// <summary>What is wrong, field by field.</summary>
    public IReadOnlyList<DatasetCreationProblem> Problems { get; }
}
