using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// Tokens of a person who signed in with the device-code flow: kept in an <see cref="ITokenStore"/>, renewed with the
/// refresh token before they expire (the rotated refresh token is stored again). When nothing is stored or the
/// provider refuses the refresh token, <see cref="SignInRequiredException"/> asks for <see cref="SignInAsync"/>.
/// </summary>
public sealed class DeviceCodeTokenProvider : CachingAccessTokenProvider
{
    private const string Grant = "refresh_token";
    private readonly HttpMessageInvoker _http;
    private readonly OidcDiscovery _discovery;
    private readonly SignInOptions _options;
    private readonly ITokenStore _store;
    private readonly ILogger _logger;
    private readonly DeviceCodeSignIn _signIn;
    private bool _storedAccessTokenTried;

    /// <summary>Creates the provider.</summary>
    /// <param name="http">The HTTP client for the provider's endpoints.</param>
    /// <param name="discovery">The identity provider's discovery cache.</param>
    /// <param name="options">Authority, client id, scope, resource and refresh margin.</param>
    /// <param name="store">Where the tokens are kept between runs.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    /// <param name="loggerFactory">Creates the logs, or null for none.</param>
    public DeviceCodeTokenProvider(HttpMessageInvoker http, OidcDiscovery discovery, SignInOptions options, ITokenStore store,
        TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
        : base((options ?? throw new ArgumentNullException(nameof(options))).RefreshBeforeExpiry, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientId, "options.ClientId");
        ArgumentNullException.ThrowIfNull(options.Authority, "options.Authority");
        loggerFactory ??= NullLoggerFactory.Instance;
        _http = http;
        _discovery = discovery;
        _options = options;
        _store = store;
        _logger = loggerFactory.CreateLogger<DeviceCodeTokenProvider>();
        _signIn = new DeviceCodeSignIn(http, discovery, options, timeProvider, loggerFactory.CreateLogger<DeviceCodeSignIn>());
    }

    /// <summary>Signs a person in with the device-code flow and stores the tokens.</summary>
    /// <param name="prompt">Shows the person the URL and code.</param>
    /// <param name="cancellationToken">Abandons the sign-in.</param>
    /// <exception cref="SignInException">The person refused, the code expired, or the provider refused the client.</exception>
    public async Task<SignInTokens> SignInAsync(Func<DeviceCodePrompt, CancellationToken, Task> prompt, CancellationToken cancellationToken = default)
    {
        var tokens = await _signIn.SignInAsync(prompt, cancellationToken).ConfigureAwait(false);
        await _store.SaveAsync(tokens, cancellationToken).ConfigureAwait(false);
        Clear();
        _storedAccessTokenTried = false;
        return tokens;
    }

    /// <summary>Forgets the stored tokens (sign-out on this machine; the provider's session is left as it is).</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SignOutAsync(CancellationToken cancellationToken = default)
    {
        await _store.RemoveAsync(_options.Authority!, _options.ClientId!, cancellationToken).ConfigureAwait(false);
        Clear();
    }

    /// <inheritdoc />
    protected override async Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.LoadAsync(_options.Authority!, _options.ClientId!, cancellationToken).ConfigureAwait(false)
            ?? throw new SignInRequiredException($"not signed in to {_options.Authority} as {_options.ClientId}: run the device sign-in (imagingrepo login)");

        // The first call of a process may use the stored access token while it lasts; afterwards a new one is wanted.
        if (!_storedAccessTokenTried)
        {
            _storedAccessTokenTried = true;
            if (stored.AccessToken.ExpiresAt - _options.RefreshBeforeExpiry > Time.GetUtcNow()) return stored.AccessToken;
        }

        if (stored.RefreshToken is null)
        {
            throw new SignInRequiredException($"the sign-in to {_options.Authority} expired and no refresh token was issued: sign in again");
        }

        var endpoints = await _discovery.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var request = new RefreshTokenRequest
        {
            Address = endpoints.TokenEndpoint.AbsoluteUri,
            ClientId = _options.ClientId!,
            ClientSecret = _options.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = stored.RefreshToken,
        };
        if (!string.IsNullOrEmpty(_options.Resource)) request.Resource.Add(_options.Resource);

        using var response = await _http.RequestRefreshTokenAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsError)
        {
            IdentityLog.TokenRefused(_logger, _options.ClientId!, Grant, TokenResponses.ErrorOf(response), TokenResponses.DescriptionOf(response));
            if (TokenResponses.ErrorOf(response) == OidcConstants.TokenErrors.InvalidGrant)
            {
                await _store.RemoveAsync(_options.Authority!, _options.ClientId!, cancellationToken).ConfigureAwait(false);
                throw new SignInRequiredException($"the sign-in to {_options.Authority} is no longer valid ({TokenResponses.DescriptionOf(response) ?? OidcConstants.TokenErrors.InvalidGrant}): sign in again");
            }

            throw TokenResponses.ToException(response, $"token refresh for {_options.ClientId}");
        }

        var token = TokenResponses.ToAccessToken(response, Time.GetUtcNow(), $"token refresh for {_options.ClientId}");
        await _store.SaveAsync(stored with { AccessToken = token, RefreshToken = response.RefreshToken ?? stored.RefreshToken }, cancellationToken)
            .ConfigureAwait(false);
        IdentityLog.TokenAcquired(_logger, _options.ClientId!, Grant, token.ExpiresAt);
        return token;
    }
}
