using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>An operation a worker claimed: what to create, and what an earlier run already saved.</summary>
/// <param name="DatasetId">The dataset.</param>
/// <param name="Owner">The claiming replica (every later write is conditional on it still holding the claim).</param>
/// <param name="Request">What to create.</param>
/// <param name="Result">The result an earlier run saved, or null.</param>
/// <param name="Trace">The CREATE_DATASET trace an earlier run prepared with <see cref="Result"/>, or null.</param>
/// <param name="Attempts">Runs started, this one included.</param>
/// <param name="CancelRequested">Whether a cancel is pending.</param>
public sealed record ClaimedCreation(string DatasetId, string Owner, DatasetCreationRequest Request, DatasetCreationResult? Result,
    CreateDatasetTrace? Trace, int Attempts, bool CancelRequested);

/// <summary>What renewing a claim found.</summary>
public enum LeaseState
{
    /// <summary>Still held.</summary>
    Held,

    /// <summary>Still held, and a cancel was asked for.</summary>
    CancelRequested,

    /// <summary>Lost: the claim expired and another worker took it, or the operation was deleted.</summary>
    Lost,
}

/// <summary>
/// The durable record of dataset creation operations, shared by every replica. A worker claims an operation with a lease
/// that it renews; writes of a worker that lost its lease change nothing. Implementations: SQLite (one replica) and
/// PostgreSQL (several).
/// </summary>
public interface IDatasetCreationStore
{
    /// <summary>Creates or migrates the schema (idempotent; replicas starting together take turns).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Queues a creation; false when the dataset already has an operation.</summary>
    /// <param name="request">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> EnqueueAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default);

    /// <summary>The operation of a dataset, or null.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DatasetCreationState?> GetAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a pending operation, or asks a running one to stop.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CancelOutcome> CancelAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Queues an operation in error again.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<RestartOutcome> RestartAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>Forgets an operation that is not running (a deleted draft); false when there is none or it runs.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> DeleteAsync(string datasetId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the oldest operation that is pending, or running under an expired lease (its worker died), for
    /// <paramref name="owner"/>; null when there is none. Exactly one caller gets each.
    /// </summary>
    /// <param name="owner">The claiming replica.</param>
    /// <param name="lease">How long the claim holds unless renewed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ClaimedCreation?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>Extends a claim and, when given, saves the last message.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="owner">The claiming replica.</param>
    /// <param name="lease">How long from now the claim holds.</param>
    /// <param name="message">The new last message, or null to keep it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LeaseState> RenewAsync(string datasetId, string owner, TimeSpan lease, string? message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves the result and the trace prepared from it, once: from then on every run records that same trace. False when
    /// the claim is lost, a result is already saved, or a cancel was asked for first.
    /// </summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="owner">The claiming replica.</param>
    /// <param name="result">The result.</param>
    /// <param name="trace">The CREATE_DATASET trace (user id already pseudonymized).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> SaveResultAsync(string datasetId, string owner, DatasetCreationResult result, CreateDatasetTrace trace, CancellationToken cancellationToken = default);

    /// <summary>Ends a run as finished or error with its last message; false when the claim is lost.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="owner">The claiming replica.</param>
    /// <param name="status"><see cref="DatasetCreationStatus.Finished"/> or <see cref="DatasetCreationStatus.Error"/>.</param>
    /// <param name="message">The last message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> CompleteAsync(string datasetId, string owner, DatasetCreationStatus status, string message, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim back (pending again, the attempt not counted): a replica shutting down lets another resume.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="owner">The claiming replica.</param>
    /// <param name="message">The last message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<bool> ReleaseAsync(string datasetId, string owner, string message, CancellationToken cancellationToken = default);
}
