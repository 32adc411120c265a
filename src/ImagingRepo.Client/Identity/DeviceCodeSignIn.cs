using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// The OAuth device authorization grant (RFC 8628) for a person at a terminal or notebook: asks the provider for a
/// code, hands the verification URL and code to a prompt callback, then polls the token endpoint at the interval the
/// provider sets until the person has approved, refused, or the code expired. The device client is public, so its
/// id travels in the form body (<see cref="ClientCredentialStyle.PostBody"/>), not in a Basic header.
/// </summary>
public sealed class DeviceCodeSignIn
{
    private const string Grant = "device_code";
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    private readonly HttpMessageInvoker _http;
    private readonly OidcDiscovery _discovery;
    private readonly SignInOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the sign-in.</summary>
    /// <param name="http">The HTTP client for the provider's endpoints.</param>
    /// <param name="discovery">The identity provider's discovery cache.</param>
    /// <param name="options">Client id, scope and resource (add <c>offline_access</c> to the scope for a refresh token).</param>
    /// <param name="timeProvider">The clock polling waits on, or null for the system clock.</param>
    /// <param name="logger">The log, or null for none.</param>
    public DeviceCodeSignIn(HttpMessageInvoker http, OidcDiscovery discovery, SignInOptions options, TimeProvider? timeProvider = null,
        ILogger<DeviceCodeSignIn>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ClientId, "options.ClientId");
        ArgumentNullException.ThrowIfNull(options.Authority, "options.Authority");
        _http = http;
        _discovery = discovery;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Runs the sign-in to its end.</summary>
    /// <param name="prompt">Shows the person the URL and code (print it, render it in a notebook).</param>
    /// <param name="cancellationToken">Abandons the sign-in.</param>
    /// <returns>The tokens, with a refresh token when the scope asked for <c>offline_access</c>.</returns>
    /// <exception cref="SignInException">The person refused, the code expired, or the provider refused the client.</exception>
    public async Task<SignInTokens> SignInAsync(Func<DeviceCodePrompt, CancellationToken, Task> prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var endpoints = await _discovery.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        if (endpoints.DeviceAuthorizationEndpoint is null)
        {
            throw new SignInException($"{_options.Authority} offers no device authorization endpoint");
        }

        var authorization = new DeviceAuthorizationRequest
        {
            Address = endpoints.DeviceAuthorizationEndpoint.AbsoluteUri,
            ClientId = _options.ClientId!,
            ClientSecret = _options.ClientSecret,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Scope = _options.Scope,
        };
        if (!string.IsNullOrEmpty(_options.Resource)) authorization.Parameters.Add(OidcConstants.TokenRequest.Resource, _options.Resource);

        using var started = await _http.RequestDeviceAuthorizationAsync(authorization, cancellationToken).ConfigureAwait(false);
        if (started.IsError || started.DeviceCode is null || started.UserCode is null || started.VerificationUri is null)
        {
            throw new SignInException(
                $"device sign-in for {_options.ClientId} could not start: {TokenResponses.ErrorOf(started) ?? "incomplete answer"}"
                + (TokenResponses.DescriptionOf(started) is { Length: > 0 } description ? $" ({description})" : ""),
                TokenResponses.ErrorOf(started), TokenResponses.DescriptionOf(started), started.HttpStatusCode == 0 ? null : started.HttpStatusCode);
        }

        var expiresAt = _time.GetUtcNow() + TimeSpan.FromSeconds(started.ExpiresIn ?? 600);
        await prompt(new DeviceCodePrompt(started.UserCode, new Uri(started.VerificationUri),
            started.VerificationUriComplete is { Length: > 0 } complete ? new Uri(complete) : null, expiresAt), cancellationToken).ConfigureAwait(false);
        IdentityLog.DeviceSignInStarted(_logger, _options.ClientId!, expiresAt);

        var interval = started.Interval > 0 ? TimeSpan.FromSeconds(started.Interval) : DefaultInterval;
        // The protocol's own polling, at the pace the provider dictates: not a retry of a failed call.
        while (true)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            var request = new DeviceTokenRequest
            {
                Address = endpoints.TokenEndpoint.AbsoluteUri,
                ClientId = _options.ClientId!,
                ClientSecret = _options.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
                DeviceCode = started.DeviceCode,
            };
            using var response = await _http.RequestDeviceTokenAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsError)
            {
                var token = TokenResponses.ToAccessToken(response, _time.GetUtcNow(), $"device sign-in for {_options.ClientId}");
                IdentityLog.TokenAcquired(_logger, _options.ClientId!, Grant, token.ExpiresAt);
                return new SignInTokens(_options.Authority!, _options.ClientId!, token, response.RefreshToken);
            }

            switch (TokenResponses.ErrorOf(response))
            {
                case OidcConstants.TokenErrors.AuthorizationPending:
                    break;
                case OidcConstants.TokenErrors.SlowDown:
                    interval += SlowDownStep;
                    IdentityLog.DeviceSlowDown(_logger, interval);
                    break;
                case OidcConstants.TokenErrors.ExpiredToken:
                    throw new SignInException($"device sign-in for {_options.ClientId}: the code expired before it was approved",
                        TokenResponses.ErrorOf(response), TokenResponses.DescriptionOf(response), response.HttpStatusCode);
                case OidcConstants.TokenErrors.AccessDenied:
                    throw new SignInException($"device sign-in for {_options.ClientId}: the sign-in was refused",
                        TokenResponses.ErrorOf(response), TokenResponses.DescriptionOf(response), response.HttpStatusCode);
                default:
                    IdentityLog.TokenRefused(_logger, _options.ClientId!, Grant, TokenResponses.ErrorOf(response), TokenResponses.DescriptionOf(response));
                    throw TokenResponses.ToException(response, $"device sign-in for {_options.ClientId}");
            }

            if (_time.GetUtcNow() >= expiresAt)
            {
                throw new SignInException($"device sign-in for {_options.ClientId}: the code expired before it was approved",
                    OidcConstants.TokenErrors.ExpiredToken, null, null);
            }
        }
    }
}
