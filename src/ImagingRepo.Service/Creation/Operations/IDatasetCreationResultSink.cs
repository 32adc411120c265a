namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// Told the result of each creation, after its trace is recorded and before the operation is marked finished: the
/// service stores the metadata, the per-study hashes and the pruned series on its dataset here. A run resumed after a
/// crash may call it again with the same result, so it must be idempotent; when it throws, the operation ends in error
/// and a restart calls it again.
/// </summary>
public interface IDatasetCreationResultSink
{
    /// <summary>Stores what a creation produced.</summary>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task ApplyAsync(DatasetCreationResult result, CancellationToken cancellationToken = default);
}
