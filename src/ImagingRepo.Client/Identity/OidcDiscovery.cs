using Duende.IdentityModel.Client;

namespace ImagingRepo.Client.Identity;

/// <summary>The endpoints of an identity provider that the client uses, from its discovery document.</summary>
/// <param name="Issuer">The issuer the document names.</param>
/// <param name="TokenEndpoint">Where tokens are requested.</param>
/// <param name="DeviceAuthorizationEndpoint">Where a device-code sign-in starts, or null when the provider has none.</param>
public sealed record OidcEndpoints(Uri Issuer, Uri TokenEndpoint, Uri? DeviceAuthorizationEndpoint);

/// <summary>
/// Reads an identity provider's discovery document once and keeps it for <see cref="SignInOptions.DiscoveryCacheDuration"/>
/// (Duende.IdentityModel's <see cref="DiscoveryCache"/>, which also validates the issuer name and that the endpoints
/// belong to the authority). A failed read is not cached: the next call tries again.
/// </summary>
public sealed class OidcDiscovery
{
    private readonly DiscoveryCache _cache;
    private readonly Uri _authority;

    /// <summary>Creates the discovery cache of <paramref name="authority"/>.</summary>
    /// <param name="authority">The issuer URL.</param>
    /// <param name="http">Gives the HTTP client to read the document with (one from an <c>IHttpClientFactory</c>).</param>
    /// <param name="cacheDuration">How long the document is kept.</param>
    /// <param name="requireHttps">Refuse plain HTTP except on loopback.</param>
    public OidcDiscovery(Uri authority, Func<HttpMessageInvoker> http, TimeSpan cacheDuration, bool requireHttps = true)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(http);
        _authority = authority;
        var policy = new DiscoveryPolicy { RequireHttps = requireHttps, AllowHttpOnLoopback = true };
        _cache = new DiscoveryCache(authority.AbsoluteUri.TrimEnd('/'), http, policy) { CacheDuration = cacheDuration };
    }

    /// <summary>Creates the discovery cache from the sign-in options.</summary>
    /// <param name="options">Authority, cache duration and HTTPS requirement.</param>
    /// <param name="http">Gives the HTTP client to read the document with.</param>
    public OidcDiscovery(SignInOptions options, Func<HttpMessageInvoker> http)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Authority
               ?? throw new ArgumentException("SignInOptions.Authority is not set", nameof(options)),
               http, options.DiscoveryCacheDuration, options.RequireHttps)
    {
    }

    /// <summary>The endpoints, from the cache or read now.</summary>
    /// <param name="cancellationToken">Stops waiting (the read itself continues and fills the cache).</param>
    /// <exception cref="SignInException">The document could not be read or is not valid; the message says why.</exception>
    public async Task<OidcEndpoints> GetEndpointsAsync(CancellationToken cancellationToken = default)
    {
        var document = await _cache.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        if (document.IsError)
        {
            // DiscoveryCache keeps a failed answer until the next refresh; drop it so the next call asks again.
            _cache.Refresh();
            throw new SignInException($"discovery document of {_authority} could not be read: {document.Error}",
                document.Error, null, document.HttpStatusCode == 0 ? null : document.HttpStatusCode);
        }

        if (document.TokenEndpoint is not { Length: > 0 } token)
        {
            throw new SignInException($"discovery document of {_authority} names no token endpoint");
        }

        return new OidcEndpoints(
            new Uri(document.Issuer ?? _authority.AbsoluteUri),
            new Uri(token),
            document.DeviceAuthorizationEndpoint is { Length: > 0 } device ? new Uri(device) : null);
    }

    /// <summary>Forgets the cached document, so that the next call reads it again (after a key or endpoint change).</summary>
    public void Invalidate() => _cache.Refresh();
}
