using System.Collections.Concurrent;

namespace ImagingRepo.Client.Identity;

/// <summary>Keeps tokens for the life of the process only (a notebook kernel, a test).</summary>
public sealed class InMemoryTokenStore : ITokenStore
{
    private readonly ConcurrentDictionary<(string Authority, string ClientId), SignInTokens> _tokens = new();

    /// <inheritdoc />
    public Task<SignInTokens?> LoadAsync(Uri authority, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        return Task.FromResult(_tokens.TryGetValue(Key(authority, clientId), out var tokens) ? tokens : null);
    }

    /// <inheritdoc />
    public Task SaveAsync(SignInTokens tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens[Key(tokens.Authority, tokens.ClientId)] = tokens;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(Uri authority, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        _tokens.TryRemove(Key(authority, clientId), out _);
        return Task.CompletedTask;
    }

    private static (string, string) Key(Uri authority, string clientId) => (authority.AbsoluteUri.TrimEnd('/'), clientId);
}
