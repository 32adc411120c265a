using Duende.IdentityModel.Client;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Users;

/// <summary>
/// The service account's access token for Keycloak's admin API (client credentials at the realm's token endpoint),
/// kept until shortly before it expires; a token the admin API refused is dropped so the next call logs in again.
/// </summary>
internal sealed class KeycloakTokenSource(IHttpClientFactory httpClients, IOptions<IdentityDirectoryOptions> options, TimeProvider time) : IDisposable
{
    /// <summary>The named client that posts to the token endpoint.</summary>
    public const string HttpClientName = "ImagingRepo.Keycloak.Token";

    // Renew this long before the stated expiry, so a token never runs out between the check and Keycloak reading it.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    /// <summary>A valid token: the cached one, or a new one.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached && time.GetUtcNow() < cached.RenewAt) return cached.Token;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_current is { } again && time.GetUtcNow() < again.RenewAt) return again.Token;
            var fresh = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _current = fresh;
            return fresh.Token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (the admin API answered 401 to it), unless a newer one replaced it already.</summary>
    public void Invalidate(string token)
    {
        if (_current is { } cached && cached.Token == token) _current = null;
    }

    public void Dispose() => _gate.Dispose();

    private static string? Field(TokenResponse response, string name) =>
        response.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } json && json.TryGetProperty(name, out var value)
        && value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString() : null;

    private async Task<(string Token, DateTimeOffset RenewAt)> RequestAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var endpoint = o.EffectiveTokenEndpoint();
        var http = httpClients.CreateClient(HttpClientName);
        TokenResponse response;
        try
        {
            response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = endpoint.AbsoluteUri,
                ClientId = o.ClientId!,
                ClientSecret = o.ClientSecret,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new IdentityDirectoryException("POST token (client credentials)", endpoint, null, e.Message, e);
        }

        if (response.IsError || string.IsNullOrEmpty(response.AccessToken))
        {
            var status = response.HttpStatusCode == 0 ? (int?)null : (int)response.HttpStatusCode;
            // An HTTP error's Error is the reason phrase; Keycloak's own reason is in the JSON body (error, error_description).
            var error = Field(response, "error") ?? response.Error;
            var description = Field(response, "error_description") ?? response.ErrorDescription;
            throw new IdentityDirectoryException("POST token (client credentials)", endpoint, status,
                error is { Length: > 0 } ? $"{error} {description}".TrimEnd() : "no access token in the answer");
        }

        var lifetime = TimeSpan.FromSeconds(Math.Max(response.ExpiresIn, 0));
        var renewAt = time.GetUtcNow() + (lifetime > 2 * Margin ? lifetime - Margin : lifetime / 2);
        return (response.AccessToken, renewAt);
    }
}
