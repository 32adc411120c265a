using Duende.IdentityModel.Client;

namespace ImagingRepo.Client.Identity;

/// <summary>Turns Duende.IdentityModel token answers into <see cref="AccessToken"/>s or <see cref="SignInException"/>s.</summary>
internal static class TokenResponses
{
    /// <summary>Providers that omit <c>expires_in</c> are assumed to issue tokens valid this long.</summary>
    private static readonly TimeSpan AssumedLifetime = TimeSpan.FromMinutes(5);

    public static AccessToken ToAccessToken(TokenResponse response, DateTimeOffset now, string what)
    {
        if (response.AccessToken is not { Length: > 0 } value)
        {
            throw new SignInException($"{what}: the identity provider answered without an access token");
        }

        var lifetime = response.ExpiresIn > 0 ? TimeSpan.FromSeconds(response.ExpiresIn) : AssumedLifetime;
        return new AccessToken(value, now + lifetime);
    }

    public static SignInException ToException(TokenResponse response, string what)
    {
        var status = response.HttpStatusCode == 0 ? (System.Net.HttpStatusCode?)null : response.HttpStatusCode;
        // A 400/401 answer is an HTTP error to Duende.IdentityModel, but its body still holds the OAuth error.
        var error = ErrorOf(response);
        var description = DescriptionOf(response);
        var message = response.ErrorType == ResponseErrorType.Exception
            ? $"{what}: the identity provider could not be reached ({response.Error})"
            : $"{what}: the identity provider refused ({(int?)status}): {error}" + (string.IsNullOrEmpty(description) ? "" : $" ({description})");
        return new SignInException(message, error, description, status);
    }

    /// <summary>The OAuth <c>error</c> of the answer's body, or Duende's description of the failure.</summary>
    public static string? ErrorOf(ProtocolResponse response) => SafeGet(response, "error") ?? response.Error;

    /// <summary>The OAuth <c>error_description</c> of the answer's body, or null.</summary>
    public static string? DescriptionOf(ProtocolResponse response) => SafeGet(response, "error_description");

    private static string? SafeGet(ProtocolResponse response, string name) =>
        response.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } ? response.TryGet(name) : null;
}
