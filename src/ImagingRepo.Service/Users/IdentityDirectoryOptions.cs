using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Service.Users;

/// <summary>Which directory holds the platform's users, groups and attributes.</summary>
internal enum IdentityDirectoryKind
{
    /// <summary>The service's own <c>users</c> table (<see cref="EmbeddedIdentityDirectory"/>).</summary>
    Embedded,

    /// <summary>A Keycloak realm through its admin REST API (<see cref="KeycloakIdentityDirectory"/>).</summary>
    Keycloak,
}

/// <summary>
/// Settings of the identity directory (section <c>ImagingRepo:Service:IdentityDirectory</c>). With
/// <see cref="IdentityDirectoryKind.Keycloak"/> the service logs in as a confidential client with a service account
/// (client credentials) and calls <c>{BaseUrl}/admin/realms/{Realm}/…</c>; give the secret through the environment
/// (<c>ImagingRepo__Service__IdentityDirectory__ClientSecret</c>) or a secret store, never in a committed file.
/// </summary>
internal sealed class IdentityDirectoryOptions
{
    public const string SectionName = "ImagingRepo:Service:IdentityDirectory";

    public IdentityDirectoryKind Kind { get; set; } = IdentityDirectoryKind.Embedded;

    /// <summary>Keycloak's base URL, e.g. <c>https://platform.example/auth</c> (the part before <c>/realms</c> and <c>/admin</c>).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The realm holding the platform's users (e.g. <c>CHAIMELEON</c>).</summary>
    public string? Realm { get; set; }

    /// <summary>The service's client id; its service account needs realm-management's query-users, view-users, manage-users, query-groups and view-clients.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client's secret (from the environment or a secret store).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The token endpoint; default <c>{BaseUrl}/realms/{Realm}/protocol/openid-connect/token</c>.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>The user attribute that holds the POSIX GID of the user's workspace.</summary>
    [Required]
    [MaxLength(255)]
    public string GidAttribute { get; set; } = "gid";

    /// <summary>The user attribute that holds the user's site code.</summary>
    [Required]
    [MaxLength(255)]
    public string SiteAttribute { get; set; } = "site";

    /// <summary>
    /// The client whose roles are the platform roles (the token's <c>resource_access.&lt;client&gt;.roles</c>, the
    /// service's default); empty: realm roles (<c>realm_access.roles</c>).
    /// </summary>
    public string? RolesClientId { get; set; } = "dataset-service";

    /// <summary>Items asked per page when the directory reads a whole list (a user's groups).</summary>
    [Range(1, 1000)]
    public int PageSize { get; set; } = 100;

    /// <summary>Retries of a call that failed transiently (5xx, 429, timeouts, connection errors).</summary>
    [Range(1, 10)]
    public int Retries { get; set; } = 3;

    /// <summary>The first retry's delay (exponential back-off with jitter after it).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The token endpoint as configured, or Keycloak's for the realm.</summary>
    public Uri EffectiveTokenEndpoint() => TokenEndpoint
        ?? new Uri(BaseUrl!.AbsoluteUri.TrimEnd('/') + "/realms/" + Uri.EscapeDataString(Realm!) + "/protocol/openid-connect/token");

    /// <summary>The admin API root of the realm, ending in a slash.</summary>
    public Uri AdminRealmUrl() => new(BaseUrl!.AbsoluteUri.TrimEnd('/') + "/admin/realms/" + Uri.EscapeDataString(Realm!) + "/");

    /// <summary>Why the Keycloak settings cannot work, or null.</summary>
    public string? Problem()
    {
        if (Kind != IdentityDirectoryKind.Keycloak) return null;
        if (BaseUrl is not { IsAbsoluteUri: true } url) return $"{SectionName}:BaseUrl must be Keycloak's absolute URL";
        if (!IsSecureOrLoopback(url)) return $"{SectionName}:BaseUrl must use https (plain http only on loopback)";
        if (TokenEndpoint is { } token && (!token.IsAbsoluteUri || !IsSecureOrLoopback(token)))
        {
            return $"{SectionName}:TokenEndpoint must be an absolute https URL (plain http only on loopback)";
        }

        if (string.IsNullOrWhiteSpace(Realm)) return $"{SectionName}:Realm is required with Kind=Keycloak";
        if (string.IsNullOrWhiteSpace(ClientId)) return $"{SectionName}:ClientId is required with Kind=Keycloak";
        if (string.IsNullOrEmpty(ClientSecret))
        {
            return $"{SectionName}:ClientSecret is required with Kind=Keycloak (set ImagingRepo__Service__IdentityDirectory__ClientSecret in the environment)";
        }

        return RetryDelay <= TimeSpan.Zero ? $"{SectionName}:RetryDelay must be positive" : null;
    }

    private static bool IsSecureOrLoopback(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);
}
