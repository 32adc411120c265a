using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// Tokens of a service or job that signs in as itself: the OAuth client-credentials grant with the client id and
/// secret of <see cref="SignInOptions"/>, cached until shortly before expiry.
/// </summary>
public sealed class ClientCredentialsTokenProvider : CachingAccessTokenProvider
{
    private const string Grant = "client_credentials";
    private readonly HttpMessageInvoker _http;
    private readonly OidcDiscovery _discovery;
    private readonly SignInOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the provider.</summary>
    /// <param name="http">The HTTP client for the token endpoint.</param>
    /// <param name="discovery">The identity provider's discovery cache.</param>
    /// <param name="options">Client id, secret, scope, resource and refresh margin.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    /// <param name="logger">The log, or null for none.</param>
    public ClientCredentialsTokenProvider(HttpMessageInvoker http, OidcDiscovery discovery, SignInOptions options,
        TimeProvider? timeProvider = null, ILogger<ClientCredentialsTokenProvider>? logger = null)
        : base((options ?? throw new ArgumentNullException(nameof(options))).RefreshBeforeExpiry, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientId, "options.ClientId");
        _http = http;
        _discovery = discovery;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var endpoints = await _discovery.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var request = new ClientCredentialsTokenRequest
        {
            Address = endpoints.TokenEndpoint.AbsoluteUri,
            ClientId = _options.ClientId!,
            ClientSecret = _options.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.AuthorizationHeader,
            Scope = _options.Scope,
        };
        if (!string.IsNullOrEmpty(_options.Resource)) request.Resource.Add(_options.Resource);

        using var response = await _http.RequestClientCredentialsTokenAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            IdentityLog.TokenRefused(_logger, _options.ClientId!, Grant, TokenResponses.ErrorOf(response), TokenResponses.DescriptionOf(response));
            throw TokenResponses.ToException(response, $"client-credentials token for {_options.ClientId}");
        }

        var token = TokenResponses.ToAccessToken(response, Time.GetUtcNow(), $"client-credentials token for {_options.ClientId}");
        IdentityLog.TokenAcquired(_logger, _options.ClientId!, Grant, token.ExpiresAt);
        return token;
    }
}
