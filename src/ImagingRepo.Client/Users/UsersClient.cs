using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;

namespace ImagingRepo.Client.Users;

/// <summary>The users and sites areas of the dataset service API v1 (mostly for platform operators).</summary>
public sealed class UsersClient
{
    private readonly ApiPipeline _api;
    private readonly UsersClientOptions _options;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The API root.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public UsersClient(Uri endpoint, IAccessTokenProvider? tokens, UsersClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, null), options)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the API root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public UsersClient(HttpClient http, UsersClientOptions? options)
    {
        _api = new ApiPipeline(http);
        _options = options ?? new UsersClientOptions();
    }

    /// <summary>The users that match, fetched one page at a time.</summary>
    /// <param name="disabled">Only disabled (true) or only enabled (false) users, or null for both.</param>
    /// <param name="searchString">A case-insensitive substring of the name, user name or e-mail, or null.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public IAsyncEnumerable<UserListItem> GetUsersAsync(bool? disabled = null, string? searchString = null, CancellationToken cancellationToken = default) =>
        _api.PageAsync((skip, limit) => new Query("users").Add("disabled", disabled).Add("searchString", searchString).Add("skip", skip).Add("limit", limit).ToString(),
            _options.PageSize, ClientJsonContext.Default.UserPage, page => (page.List, page.Total), cancellationToken);

    /// <summary>A user's details.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="scope">The GID only (the service's default) or everything.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<UserDetails> GetUserAsync(string userName, UserDetailScope? scope = null, CancellationToken cancellationToken = default) =>
        _api.GetAsync(new Query("users/" + Query.Segment(userName)).Add("scope", scope?.Value).ToString(), ClientJsonContext.Default.UserDetails, cancellationToken);

    /// <summary>Creates or updates a user; what <paramref name="user"/> leaves unset is kept.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="user">Roles, projects, site.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PutUserAsync(string userName, UserPut user, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, "users/" + Query.Segment(userName), user, ClientJsonContext.Default.UserPut, cancellationToken);

    /// <summary>The management jobs run for a user.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<ManagementJob>> GetManagementJobsAsync(string userName, CancellationToken cancellationToken = default) =>
        await _api.GetAsync($"users/{Query.Segment(userName)}/managementJobs", ClientJsonContext.Default.ListManagementJob, cancellationToken).ConfigureAwait(false);

    /// <summary>The log of a management job.</summary>
    /// <param name="userName">The user name.</param>
    /// <param name="jobUid">The job's uid.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<string> GetManagementJobLogAsync(string userName, string jobUid, CancellationToken cancellationToken = default) =>
        _api.GetTextAsync($"users/{Query.Segment(userName)}/managementJobs/{Query.Segment(jobUid)}", cancellationToken);

    /// <summary>The roles users may have.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> GetRolesAsync(CancellationToken cancellationToken = default) =>
        await _api.GetAsync("userRoles", ClientJsonContext.Default.ListString, cancellationToken).ConfigureAwait(false);

    /// <summary>The sites (hospitals) users and studies belong to.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<SiteSummary>> GetSitesAsync(CancellationToken cancellationToken = default) =>
        await _api.GetAsync("sites", ClientJsonContext.Default.ListSiteSummary, cancellationToken).ConfigureAwait(false);

    /// <summary>A site's details.</summary>
    /// <param name="code">The site code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<SiteDetails> GetSiteAsync(string code, CancellationToken cancellationToken = default) =>
        _api.GetAsync("sites/" + Query.Segment(code), ClientJsonContext.Default.SiteDetails, cancellationToken);

    /// <summary>Creates or updates a site.</summary>
    /// <param name="code">The site code.</param>
    /// <param name="site">Its details.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PutSiteAsync(string code, SiteDetails site, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(site);
        return _api.SendAsync(HttpMethod.Put, "sites/" + Query.Segment(code), site with { Code = null }, ClientJsonContext.Default.SiteDetails, cancellationToken);
    }
}
