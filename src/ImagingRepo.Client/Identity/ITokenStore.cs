namespace ImagingRepo.Client.Identity;

/// <summary>Keeps a signed-in person's tokens between runs (the CLI's <c>imagingrepo login</c>, a notebook kernel).</summary>
public interface ITokenStore
{
    /// <summary>The stored tokens for <paramref name="authority"/> and <paramref name="clientId"/>, or null when none are.</summary>
    /// <param name="authority">The identity provider.</param>
    /// <param name="clientId">The client.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<SignInTokens?> LoadAsync(Uri authority, string clientId, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="tokens"/>, replacing what was stored for the same authority and client.</summary>
    /// <param name="tokens">The tokens.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SaveAsync(SignInTokens tokens, CancellationToken cancellationToken = default);

    /// <summary>Forgets the tokens for <paramref name="authority"/> and <paramref name="clientId"/> (sign-out).</summary>
    /// <param name="authority">The identity provider.</param>
    /// <param name="clientId">The client.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task RemoveAsync(Uri authority, string clientId, CancellationToken cancellationToken = default);
}
