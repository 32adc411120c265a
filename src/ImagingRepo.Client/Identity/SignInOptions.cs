namespace ImagingRepo.Client.Identity;

/// <summary>Where and how the client signs in (section <c>ImagingRepo:SignIn</c> by convention).</summary>
public sealed class SignInOptions
{
    /// <summary>The token file a pod of the platform has mounted by default.</summary>
    public const string DefaultTokenFile = "/var/run/secrets/imagingrepo/token";

    /// <summary>How tokens are obtained (default <see cref="SignInFlow.None"/>).</summary>
    public SignInFlow Flow { get; set; } = SignInFlow.None;

    /// <summary>
    /// The OpenID Connect issuer, e.g. <c>https://auth.example.org/realms/platform</c>; its discovery document is read
    /// from <c>/.well-known/openid-configuration</c>. Required for client credentials and device code.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>The OAuth client id. Required for client credentials and device code.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The client secret of a confidential client (client credentials). Null for the public client of the device
    /// flow. Keep it out of configuration files: bind it from a secret store or the environment.
    /// </summary>
    public string? ClientSecret { get; set; }

    /// <summary>Space-separated scopes to ask for, e.g. <c>datasets:read datasets:write</c>; null for the client's defaults.</summary>
    public string? Scope { get; set; }

    /// <summary>The resource indicator (RFC 8707) naming the platform API, i.e. the tokens' audience; null to omit it.</summary>
    public string? Resource { get; set; }

    /// <summary>The mounted token file (flow <see cref="SignInFlow.TokenFile"/>); default <see cref="DefaultTokenFile"/>.</summary>
    public string TokenFile { get; set; } = DefaultTokenFile;

    /// <summary>
    /// How long before expiry a cached token is replaced (default 60 s; at most half the token's lifetime), so that a
    /// request never leaves with a token that expires on its way.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a token read from a file that is not a JWT (so carries no expiry) is used before the file is read
    /// again (default 60 s).
    /// </summary>
    public TimeSpan TokenFileRereadInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the discovery document is cached (default 1 hour).</summary>
    public TimeSpan DiscoveryCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Refuse an authority that is not HTTPS (default true). Plain HTTP is accepted on loopback addresses regardless,
    /// for a local identity provider.
    /// </summary>
    public bool RequireHttps { get; set; } = true;
}
