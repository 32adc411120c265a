namespace ImagingRepo.Client.Identity;

/// <summary>
/// A bearer access token and when it expires. <see cref="ToString"/> never shows the value, so a token that ends up
/// in a log line, an exception message or a debugger display does not leak.
/// </summary>
public sealed class AccessToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token as sent in the <c>Authorization: Bearer</c> header.</param>
    /// <param name="expiresAt">When the server stops accepting it.</param>
    public AccessToken(string value, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        ExpiresAt = expiresAt;
    }

    /// <summary>The token as sent in the <c>Authorization: Bearer</c> header. A secret: never log it.</summary>
    public string Value { get; }

    /// <summary>When the server stops accepting the token.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>A description without the token value.</summary>
    public override string ToString() => $"AccessToken(expires {ExpiresAt:O})";
}
