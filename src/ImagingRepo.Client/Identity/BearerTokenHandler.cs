using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// Puts the bearer token of an <see cref="IAccessTokenProvider"/> on every request; when the server answers 401
/// (the token was revoked, or the clocks disagree) it gets a new token and sends the request once more. A second 401
/// is returned to the caller. Requests whose body cannot be sent twice (a one-pass stream) are not retried.
/// </summary>
public sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly IAccessTokenProvider _tokens;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="tokens">Where tokens come from.</param>
    /// <param name="logger">The log, or null for none.</param>
    public BearerTokenHandler(IAccessTokenProvider tokens, ILogger<BearerTokenHandler>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized || !CanSendAgain(request.Content)) return response;

        IdentityLog.RetryingAfterUnauthorized(_logger, request.Method.Method, request.RequestUri?.AbsolutePath);
        response.Dispose();
        var fresh = await _tokens.RefreshAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh.Value);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bodies held in memory or produced from a value serialize again; a stream may be half read.</summary>
    private static bool CanSendAgain(HttpContent? content) => content is null or ByteArrayContent or JsonContent;
}
