using ImagingRepo.Client.Access;
using ImagingRepo.Jobs.Lifecycle;

namespace ImagingRepo.Client.Jobs;

/// <summary>
/// The jobs library's dataset-access gate over the dataset service (<c>POST /datasetAccessCheck</c>): a workload may
/// mount its datasets only when the service grants every one of them to the user. The caller's token needs the role
/// <c>admin_datasetAccess</c>, as the platform's Kubernetes operator has.
/// </summary>
public sealed class DatasetServiceAccessGate : IDatasetAccessGate
{
    private readonly AccessClient _access;

    /// <summary>Creates the gate.</summary>
    /// <param name="access">The access area of the dataset service.</param>
    public DatasetServiceAccessGate(AccessClient access)
    {
        ArgumentNullException.ThrowIfNull(access);
        _access = access;
    }

    /// <inheritdoc />
    public async Task<DatasetAccessDecision> CheckAsync(string user, IReadOnlyList<string> datasetIds, CancellationToken cancellationToken = default)
    {
        var result = await _access.CheckAccessAsync(user, datasetIds, cancellationToken).ConfigureAwait(false);
        return result.Granted
            ? DatasetAccessDecision.Allow()
            : DatasetAccessDecision.Deny(result.DeniedDatasetIds,
                "the dataset service refuses them to this user (not found, still being created, invalidated or not available to the user)");
    }
}
