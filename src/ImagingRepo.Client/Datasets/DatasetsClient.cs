using System.Text.Json;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;

namespace ImagingRepo.Client.Datasets;

/// <summary>
/// The datasets area of the dataset service API v1: find, read, create, curate (release, publish, invalidate) and
/// maintain datasets, and list their studies. Lists are walked page by page as <see cref="IAsyncEnumerable{T}"/>;
/// creation is a <see cref="DatasetCreationOperation"/>; refusals are typed <see cref="ImagingRepoRequestException"/>s.
/// </summary>
public sealed class DatasetsClient
{
    private readonly ApiPipeline _api;
    private readonly DatasetsClientOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The API root, e.g. <c>https://platform.example.org/dataset-service/api/</c>.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public DatasetsClient(Uri endpoint, IAccessTokenProvider? tokens, DatasetsClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, null), options, null)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers (what dependency injection gives).</summary>
    /// <param name="http">The HTTP client; its base address is the API root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    /// <param name="timeProvider">The clock creation polling waits on, or null for the system clock.</param>
    public DatasetsClient(HttpClient http, DatasetsClientOptions? options, TimeProvider? timeProvider)
    {
        _api = new ApiPipeline(http);
        _options = options ?? new DatasetsClientOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Every dataset that matches <paramref name="query"/>, fetched one page at a time.</summary>
    /// <param name="query">Filters and order, or null for all visible datasets.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public IAsyncEnumerable<DatasetListItem> GetDatasetsAsync(DatasetQuery? query = null, CancellationToken cancellationToken = default) =>
        _api.PageAsync((skip, limit) => DatasetsPath(query, skip, limit), _options.PageSize, ClientJsonContext.Default.DatasetPage,
            page => (page.List, page.Total), cancellationToken);

    /// <summary>One page of datasets, with the total and the caller's allowed actions.</summary>
    /// <param name="query">Filters and order, or null.</param>
    /// <param name="skip">Datasets to skip.</param>
    /// <param name="limit">Datasets to return (0: all).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<DatasetPage> GetDatasetPageAsync(DatasetQuery? query, int skip, int limit, CancellationToken cancellationToken = default) =>
        _api.GetAsync(DatasetsPath(query, skip, limit), ClientJsonContext.Default.DatasetPage, cancellationToken);

    /// <summary>A dataset's details.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No such dataset, or one the caller may not see.</exception>
    public Task<DatasetDetails> GetDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync("datasets/" + Query.Segment(id), ClientJsonContext.Default.DatasetDetails, cancellationToken);

    /// <summary>
    /// Asks the service to create a dataset and returns the running creation, to await or poll. The request is sent
    /// once: a creation is never retried automatically (it is not idempotent).
    /// </summary>
    /// <param name="request">The dataset's metadata, studies and subjects.</param>
    /// <param name="cancellationToken">Cancels the request (not a creation the service already accepted).</param>
    /// <exception cref="InvalidRequestException">The request is invalid; the problem details say what.</exception>
    public async Task<DatasetCreationOperation> StartCreateDatasetAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var created = await _api.SendAsync(HttpMethod.Post, "datasets", request, ClientJsonContext.Default.DatasetCreationRequest,
            ClientJsonContext.Default.DatasetCreated, cancellationToken).ConfigureAwait(false);
        var id = created.ApiUrl?.TrimEnd('/').Split('/')[^1];
        if (string.IsNullOrEmpty(id)) throw new ImagingRepoRequestException("POST datasets answered without apiUrl: the new dataset's id is unknown");
        return new DatasetCreationOperation(this, id, Uri.TryCreate(created.Url, UriKind.Absolute, out var url) ? url : null, _options.CreationPollInterval, _time);
    }

    /// <summary>The creation of dataset <paramref name="id"/>, to resume waiting for it (in this or another process).</summary>
    /// <param name="id">The dataset id.</param>
    public DatasetCreationOperation GetCreationOperation(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return new DatasetCreationOperation(this, id, null, _options.CreationPollInterval, _time);
    }

    /// <summary>Where a dataset's creation stands.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<DatasetCreationStatus> GetCreationStatusAsync(string id, CancellationToken cancellationToken = default) =>
        _api.GetAsync($"datasets/{Query.Segment(id)}/creationStatus", ClientJsonContext.Default.DatasetCreationStatus, cancellationToken);

    /// <summary>Changes one property of a dataset (<c>PATCH /datasets/{id}</c>); see <see cref="DatasetDetails.EditablePropertiesByTheUser"/>.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="property">The property.</param>
    /// <param name="value">The new value, as the property's JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StateConflictException">The dataset's state does not allow the change.</exception>
    public Task UpdatePropertyAsync(string id, DatasetProperty property, JsonElement value, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Patch, "datasets/" + Query.Segment(id), new PropertyPatch(property.Value, value),
            ClientJsonContext.Default.PropertyPatch, cancellationToken);

    /// <summary>Releases a draft (draft → released): others in the project may use it; its content is fixed.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task ReleaseAsync(string id, CancellationToken cancellationToken = default) =>
        UpdatePropertyAsync(id, DatasetProperty.Draft, Flag(false), cancellationToken);

    /// <summary>Publishes a released dataset: everyone may see it.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PublishAsync(string id, CancellationToken cancellationToken = default) =>
        UpdatePropertyAsync(id, DatasetProperty.Public, Flag(true), cancellationToken);

    /// <summary>Withdraws a published dataset to released.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task UnpublishAsync(string id, CancellationToken cancellationToken = default) =>
        UpdatePropertyAsync(id, DatasetProperty.Public, Flag(false), cancellationToken);

    /// <summary>Invalidates a dataset (it may no longer be used), with the reason when given.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task InvalidateAsync(string id, string? reason = null, CancellationToken cancellationToken = default)
    {
        await UpdatePropertyAsync(id, DatasetProperty.Invalidated, Flag(true), cancellationToken).ConfigureAwait(false);
        if (reason is not null)
        {
            await UpdatePropertyAsync(id, DatasetProperty.InvalidationReason, JsonSerializer.SerializeToElement(reason, ClientJsonContext.Default.String),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reactivates an invalidated dataset.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task ReactivateAsync(string id, CancellationToken cancellationToken = default) =>
        UpdatePropertyAsync(id, DatasetProperty.Invalidated, Flag(false), cancellationToken);

    /// <summary>Deletes a dataset (only while it is being created or failed to be; later it is invalidated instead).</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task DeleteDatasetAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, "datasets/" + Query.Segment(id), null, cancellationToken);

    /// <summary>A dataset's studies, fetched one page at a time.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public IAsyncEnumerable<Study> GetStudiesAsync(string id, CancellationToken cancellationToken = default) =>
        _api.PageAsync((skip, limit) => new Query($"datasets/{Query.Segment(id)}/studies").Add("skip", skip).Add("limit", limit).ToString(),
            _options.PageSize, ClientJsonContext.Default.StudyPage, page => (page.List, page.Total), cancellationToken);

    /// <summary>Starts an integrity check of a dataset (its outcome shows in <see cref="DatasetDetails.LastIntegrityCheck"/>).</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<OperationResult> CheckIntegrityAsync(string id, CancellationToken cancellationToken = default) =>
        PostForResultAsync($"datasets/{Query.Segment(id)}/checkIntegrity", cancellationToken);

    /// <summary>Restarts a failed creation.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task RestartCreationAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, $"datasets/{Query.Segment(id)}/restartCreation", null, cancellationToken);

    /// <summary>Readjusts a dataset's file permissions in the lake.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task ReadjustFilePermissionsAsync(string id, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Post, $"datasets/{Query.Segment(id)}/readjustFilePermissions", null, cancellationToken);

    /// <summary>Collects a dataset's metadata again.</summary>
    /// <param name="id">The dataset id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<OperationResult> RecollectMetadataAsync(string id, CancellationToken cancellationToken = default) =>
        PostForResultAsync($"datasets/{Query.Segment(id)}/recollectMetadata", cancellationToken);

    /// <summary>The datasets the caller may publish a new version of.</summary>
    /// <param name="project">Only this project's, or null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<UpgradableDataset>> GetUpgradableDatasetsAsync(string? project = null, CancellationToken cancellationToken = default) =>
        await _api.GetAsync(new Query("upgradableDatasets").Add("project", project).ToString(), ClientJsonContext.Default.ListUpgradableDataset,
            cancellationToken).ConfigureAwait(false);

    /// <summary>The licenses datasets may have.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<License>> GetLicensesAsync(CancellationToken cancellationToken = default) =>
        await _api.GetAsync("licenses", ClientJsonContext.Default.ListLicense, cancellationToken).ConfigureAwait(false);

    private static JsonElement Flag(bool value) => JsonSerializer.SerializeToElement(value, ClientJsonContext.Default.Boolean);

    /// <summary>The v1 spec answers these with 204; our service (and the live CHAIMELEON code) with <c>{success, msg}</c>.</summary>
    private async Task<OperationResult> PostForResultAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        using var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent) return new OperationResult { Success = true };
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync(stream, ClientJsonContext.Default.OperationResult, cancellationToken).ConfigureAwait(false)
                ?? new OperationResult { Success = true };
        }
    }

    private static string DatasetsPath(DatasetQuery? query, int skip, int limit) =>
        new Query("datasets")
            .Add("draft", query?.Draft).Add("public", query?.Public).Add("invalidated", query?.Invalidated)
            .Add("tag", query?.Tags).Add("project", query?.Project).Add("searchString", query?.SearchString)
            .Add("searchSubject", query?.SearchSubject).Add("onlyLastVersions", query?.OnlyLastVersions)
            .Add("skip", skip).Add("limit", limit)
            .Add("sortBy", query?.SortBy?.Value).Add("sortDirection", query?.SortDirection?.Value)
            .ToString();
}
