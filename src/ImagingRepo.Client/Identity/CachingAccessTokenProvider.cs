namespace ImagingRepo.Client.Identity;

/// <summary>
/// The token cache every provider shares: hands out the cached token until shortly before it expires, then acquires
/// a new one; concurrent callers wait for one acquisition instead of each starting their own.
/// </summary>
public abstract class CachingAccessTokenProvider : IAccessTokenProvider, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TimeSpan _refreshBeforeExpiry;
    private CachedToken? _cached;

    /// <summary>Creates the cache.</summary>
    /// <param name="refreshBeforeExpiry">How long before expiry a token is replaced (capped at half its lifetime).</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    protected CachingAccessTokenProvider(TimeSpan refreshBeforeExpiry, TimeProvider? timeProvider)
    {
        _refreshBeforeExpiry = refreshBeforeExpiry < TimeSpan.Zero ? TimeSpan.Zero : refreshBeforeExpiry;
        Time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The clock tokens are aged by.</summary>
    protected TimeProvider Time { get; }

    /// <inheritdoc />
    public async ValueTask<AccessToken> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        if (_cached is { } cached && Time.GetUtcNow() < cached.RefreshAt) return cached.Token;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && Time.GetUtcNow() < again.RefreshAt) return again.Token;
            return await AcquireAndCacheAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask<AccessToken> RefreshAsync(AccessToken? rejected, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller already replaced the refused token: use theirs rather than refresh again.
            if (rejected is not null && _cached is { } cached && !ReferenceEquals(cached.Token, rejected)
                && Time.GetUtcNow() < cached.RefreshAt)
            {
                return cached.Token;
            }

            _cached = null;
            return await AcquireAndCacheAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets the cached token (after a sign-out).</summary>
    public void Clear() => _cached = null;

    /// <summary>Acquires a new token from the source (identity provider, refresh token, file).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="SignInException">No token could be acquired.</exception>
    protected abstract Task<AccessToken> AcquireAsync(CancellationToken cancellationToken);

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the lock and what a subclass holds.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _gate.Dispose();
    }

    private async Task<AccessToken> AcquireAndCacheAsync(CancellationToken cancellationToken)
    {
        var token = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        _cached = new CachedToken(token, RefreshTime(token, Time.GetUtcNow()));
        return token;
    }

    /// <summary>
    /// When a freshly acquired <paramref name="token"/> is to be replaced: <see cref="AccessToken.ExpiresAt"/> less the
    /// refresh margin, the margin capped at half the token's lifetime so that short-lived tokens are still used.
    /// </summary>
    /// <param name="token">The token just acquired.</param>
    /// <param name="now">The time it was acquired.</param>
    protected virtual DateTimeOffset RefreshTime(AccessToken token, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        var lifetime = token.ExpiresAt - now;
        var margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(_refreshBeforeExpiry.Ticks, lifetime.Ticks / 2));
        return token.ExpiresAt - margin;
    }

    private sealed record CachedToken(AccessToken Token, DateTimeOffset RefreshAt);
}
