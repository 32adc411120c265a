namespace ImagingRepo.Client.Identity;

/// <summary>
/// Gives the bearer token for the platform API: from a cache while it is fresh, from the identity provider (or a
/// mounted file) when not. <see cref="BearerTokenHandler"/> is its consumer.
/// </summary>
public interface IAccessTokenProvider
{
    /// <summary>Returns a token that is not about to expire, acquiring one when the cached one is.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInException">No token could be acquired; the message says why.</exception>
    ValueTask<AccessToken> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a token other than <paramref name="rejected"/>, which the server refused: acquires a new one unless a
    /// concurrent caller already did, so that many requests failing together cause one refresh.
    /// </summary>
    /// <param name="rejected">The token the server answered 401 to, or null to force a new one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInException">No token could be acquired; the message says why.</exception>
    ValueTask<AccessToken> RefreshAsync(AccessToken? rejected, CancellationToken cancellationToken = default);
}
