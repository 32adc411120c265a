using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Users;

namespace ImagingRepo.Client;

/// <summary>
/// All area clients of one repository over one connection pool: what a notebook or a script creates in one line.
/// Applications with dependency injection take the area clients they need instead (<c>AddImagingRepoClient</c>).
/// </summary>
public sealed class RepositoryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ApiPipeline _api;

    /// <summary>Creates an anonymous client with its own HTTP pipeline and the default settings.</summary>
    /// <param name="endpoint">The API root, e.g. <c>https://platform.example.org/dataset-service/api/</c>.</param>
    public RepositoryClient(Uri endpoint)
        : this(endpoint, null, null)
    {
    }

    /// <summary>Creates the client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The API root, e.g. <c>https://platform.example.org/dataset-service/api/</c>.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Area and resilience settings, or null for the defaults.</param>
    public RepositoryClient(Uri endpoint, IAccessTokenProvider? tokens, ImagingRepoClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, options?.Resilience), options, ownsHttp: true)
    {
    }

    /// <summary>Creates the client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the API root.</param>
    /// <param name="options">Area settings, or null for the defaults.</param>
    /// <param name="timeProvider">The clock creation polling waits on, or null for the system clock.</param>
    public RepositoryClient(HttpClient http, ImagingRepoClientOptions? options, TimeProvider? timeProvider)
        : this(http, options, ownsHttp: false, timeProvider)
    {
    }

    private RepositoryClient(HttpClient http, ImagingRepoClientOptions? options, bool ownsHttp, TimeProvider? timeProvider = null)
    {
        options ??= new ImagingRepoClientOptions();
        _http = http;
        _ownsHttp = ownsHttp;
        _api = new ApiPipeline(http);
        Datasets = new DatasetsClient(http, options.Datasets, timeProvider);
        Access = new AccessClient(http, options.Access);
        Projects = new ProjectsClient(http, options.Projects);
        Users = new UsersClient(http, options.Users);
    }

    /// <summary>Datasets: find, read, create, curate.</summary>
    public DatasetsClient Datasets { get; }

    /// <summary>Access checks, access records, ACLs, access history.</summary>
    public AccessClient Access { get; }

    /// <summary>Projects, their configuration and subprojects.</summary>
    public ProjectsClient Projects { get; }

    /// <summary>Users and sites.</summary>
    public UsersClient Users { get; }

    /// <summary>The service's version (<c>GET /version</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> GetServiceVersionAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetTextAsync("version", cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>The service's health answer (<c>GET /health</c>); throws when it is not healthy.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> GetHealthAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetTextAsync("health", cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary>The sections of the service the caller may use (<c>GET /index</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ServiceSection>> GetServiceIndexAsync(CancellationToken cancellationToken = default) =>
        await _api.GetAsync("index", ClientJsonContext.Default.ListServiceSection, cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes the HTTP client when this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
