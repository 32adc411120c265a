namespace ImagingRepo.Service.Security;

/// <summary>How callers prove who they are.</summary>
internal enum PlatformAuthenticationMode
{
    /// <summary>OIDC when an authority is configured, else development.</summary>
    Auto,

    /// <summary>JWT bearer tokens validated with the keys of the OIDC provider's discovery document.</summary>
    Oidc,

    /// <summary>
    /// Insecure, for embedded use on one machine: headers name the user, roles and groups. The service then listens on
    /// loopback only and refuses requests from anywhere else.
    /// </summary>
    Development,
}

/// <summary>Authentication settings (section <c>ImagingRepo:Service:Authentication</c>); claim names default to Keycloak's.</summary>
internal sealed class PlatformAuthenticationOptions
{
    public const string SectionName = "ImagingRepo:Service:Authentication";

    /// <summary>The default claim holding the dataset service's roles: Keycloak's client roles of the client <c>dataset-service</c>.</summary>
    public const string DefaultRolesClaim = "resource_access.dataset-service.roles";

    public PlatformAuthenticationMode Mode { get; set; } = PlatformAuthenticationMode.Auto;

    /// <summary>The OIDC issuer (its discovery document is at <c>/.well-known/openid-configuration</c>).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must carry (Keycloak: the client id, or an audience mapper's value).</summary>
    public string? Audience { get; set; }

    /// <summary>Whether the discovery document must come over HTTPS; default: yes, except from a loopback authority.</summary>
    public bool? RequireHttpsMetadata { get; set; }

    /// <summary>Tolerated clock difference when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public string SubjectClaim { get; set; } = "sub";

    public string UserNameClaim { get; set; } = "preferred_username";

    public string NameClaim { get; set; } = "name";

    public string EmailClaim { get; set; } = "email";

    /// <summary>
    /// Where the roles are: a claim name, or a dotted path into a JSON claim (default
    /// <see cref="DefaultRolesClaim"/>; <c>realm_access.roles</c> for realm roles). Several may be given.
    /// </summary>
    public string[]? RolesClaims { get; set; }

    public string GroupsClaim { get; set; } = "groups";

    /// <summary>Development mode: the header naming the user.</summary>
    public string DevelopmentUserHeader { get; set; } = "X-ImagingRepo-User";

    /// <summary>Development mode: the header with the user's roles, separated by commas or spaces.</summary>
    public string DevelopmentRolesHeader { get; set; } = "X-ImagingRepo-Roles";

    /// <summary>Development mode: the header with the user's groups (PROJECT-X, ADMINS-PROJECT-X).</summary>
    public string DevelopmentGroupsHeader { get; set; } = "X-ImagingRepo-Groups";

    public IReadOnlyList<string> EffectiveRolesClaims => RolesClaims is { Length: > 0 } claims ? claims : [DefaultRolesClaim];

    public PlatformAuthenticationMode EffectiveMode => Mode switch
    {
        PlatformAuthenticationMode.Auto => string.IsNullOrEmpty(Authority) ? PlatformAuthenticationMode.Development : PlatformAuthenticationMode.Oidc,
        var mode => mode,
    };
}
