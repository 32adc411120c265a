namespace ImagingRepo.Client.Identity;

/// <summary>
/// The tokens of a signed-in person, as kept by an <see cref="ITokenStore"/>. <see cref="ToString"/> shows neither
/// token.
/// </summary>
/// <param name="Authority">The identity provider that issued them.</param>
/// <param name="ClientId">The client they were issued to.</param>
/// <param name="AccessToken">The current access token.</param>
/// <param name="RefreshToken">The refresh token, or null when the provider issued none (a new sign-in is then needed at expiry).</param>
public sealed record SignInTokens(Uri Authority, string ClientId, AccessToken AccessToken, string? RefreshToken)
{
    /// <summary>A description without the tokens.</summary>
    public override string ToString() =>
        $"SignInTokens({ClientId} at {Authority}, access token expires {AccessToken.ExpiresAt:O}, refresh token {(RefreshToken is null ? "absent" : "present")})";
}
