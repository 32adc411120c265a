using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;

namespace ImagingRepo.Client.Access;

/// <summary>
/// The access area of the dataset service API v1: check whether a user may use datasets, record the accesses of
/// workloads (start and end), manage a dataset's access control list and read its access history.
/// </summary>
public sealed class AccessClient
{
    private readonly ApiPipeline _api;
    private readonly AccessClientOptions _options;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The API root.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public AccessClient(Uri endpoint, IAccessTokenProvider? tokens, AccessClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, null), options)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the API root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public AccessClient(HttpClient http, AccessClientOptions? options)
    {
        _api = new ApiPipeline(http);
        _options = options ?? new AccessClientOptions();
    }

    /// <summary>Whether <paramref name="userName"/> may use every dataset of <paramref name="datasetIds"/> (<c>POST /datasetAccessCheck</c>).</summary>
    /// <param name="userName">The platform user.</param>
    /// <param name="datasetIds">The datasets.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Granted, or the ids refused (not found, still being created, invalidated, or not available to the user).</returns>
    public async Task<DatasetAccessCheckResult> CheckAccessAsync(string userName, IReadOnlyList<string> datasetIds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(datasetIds);
        try
        {
            await _api.SendAsync(HttpMethod.Post, "datasetAccessCheck", new DatasetAccessCheckRequest { UserName = userName, Datasets = datasetIds },
                ClientJsonContext.Default.DatasetAccessCheckRequest, cancellationToken).ConfigureAwait(false);
            return new DatasetAccessCheckResult(true, []);
        }
        catch (AccessDeniedException e)
        {
            var denied = ApiPipeline.DeniedIds(e);
            return new DatasetAccessCheckResult(false, denied.Count > 0 ? denied : datasetIds);
        }
    }

    /// <summary>
    /// Records that a workload starts using datasets (<c>POST /datasetAccess/{id}</c>); the service checks the access
    /// again and writes the use to the tracer.
    /// </summary>
    /// <param name="accessId">The access id, usually the Kubernetes object's uid; the end is recorded under the same id.</param>
    /// <param name="request">Who, which datasets, which workload and tool.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="AccessDeniedException">The user may not use the datasets.</exception>
    public Task CreateAccessAsync(string accessId, DatasetAccessRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _api.SendAsync(HttpMethod.Post, "datasetAccess/" + Query.Segment(accessId), request, ClientJsonContext.Default.DatasetAccessRequest, cancellationToken);
    }

    /// <summary>Records that a workload stopped using its datasets (<c>PATCH /datasetAccess/{id}</c>).</summary>
    /// <param name="accessId">The id the access was created with.</param>
    /// <param name="end">How and when it ended.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task CloseAccessAsync(string accessId, DatasetAccessEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        return _api.SendAsync(HttpMethod.Patch, "datasetAccess/" + Query.Segment(accessId), end, ClientJsonContext.Default.DatasetAccessEnd, cancellationToken);
    }

    /// <summary>The users a dataset's access control list admits besides its project's members.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<AclEntry>> GetAclAsync(string datasetId, CancellationToken cancellationToken = default) =>
        await _api.GetAsync($"datasets/{Query.Segment(datasetId)}/acl", ClientJsonContext.Default.ListAclEntry, cancellationToken).ConfigureAwait(false);

    /// <summary>Adds a user to a dataset's access control list (nothing happens when already there).</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="userName">The user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task AddToAclAsync(string datasetId, string userName, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, $"datasets/{Query.Segment(datasetId)}/acl/{Query.Segment(userName)}", null, cancellationToken);

    /// <summary>Removes a user from a dataset's access control list (nothing happens when absent).</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="userName">The user.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task RemoveFromAclAsync(string datasetId, string userName, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, $"datasets/{Query.Segment(datasetId)}/acl/{Query.Segment(userName)}", null, cancellationToken);

    /// <summary>A dataset's accesses, fetched one page at a time.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public IAsyncEnumerable<DatasetAccess> GetAccessHistoryAsync(string datasetId, CancellationToken cancellationToken = default) =>
        _api.PageAsync((skip, limit) => new Query($"datasets/{Query.Segment(datasetId)}/accessHistory").Add("skip", skip).Add("limit", limit).ToString(),
            _options.PageSize, ClientJsonContext.Default.DatasetAccessPage, page => (page.List, page.Total), cancellationToken);

}
