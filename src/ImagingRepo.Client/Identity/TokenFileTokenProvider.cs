using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// The token of a workload inside the platform: a file the platform mounts into the pod and rotates
/// (<see cref="SignInOptions.TokenFile"/>). The file is read again when the token nears its expiry (the JWT's
/// <c>exp</c> claim; for an opaque token every <see cref="SignInOptions.TokenFileRereadInterval"/>) and when the
/// server refuses it.
/// </summary>
public sealed class TokenFileTokenProvider : CachingAccessTokenProvider
{
    private readonly SignInOptions _options;
    private readonly ILogger _logger;
    private AccessToken? _opaque;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The file and the re-read interval.</param>
    /// <param name="timeProvider">The clock, or null for the system clock.</param>
    /// <param name="logger">The log, or null for none.</param>
    public TokenFileTokenProvider(SignInOptions options, TimeProvider? timeProvider = null, ILogger<TokenFileTokenProvider>? logger = null)
        : base((options ?? throw new ArgumentNullException(nameof(options))).RefreshBeforeExpiry, timeProvider)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.TokenFile, "options.TokenFile");
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    protected override async Task<AccessToken> AcquireAsync(CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = (await File.ReadAllTextAsync(_options.TokenFile, cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SignInException($"token file {_options.TokenFile} cannot be read: {e.Message}", e);
        }

        if (text.Length == 0) throw new SignInException($"token file {_options.TokenFile} is empty");
        var now = Time.GetUtcNow();
        var exp = JwtExpiry(text);
        var token = new AccessToken(text, exp is { } expiry && expiry > now ? expiry : now + _options.TokenFileRereadInterval);
        _opaque = exp is null ? token : null;
        IdentityLog.TokenFileRead(_logger, _options.TokenFile, token.ExpiresAt);
        return token;
    }

    /// <summary>An opaque token's expiry is only when the file is read again: no margin before it.</summary>
    /// <param name="token">The token just read.</param>
    /// <param name="now">When it was read.</param>
    protected override DateTimeOffset RefreshTime(AccessToken token, DateTimeOffset now) =>
        ReferenceEquals(token, _opaque) ? token.ExpiresAt : base.RefreshTime(token, now);

    /// <summary>The <c>exp</c> claim of a JWT (read, not verified: the server verifies), or null for any other token.</summary>
    internal static DateTimeOffset? JwtExpiry(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.ValueKind == JsonValueKind.Object
                && payload.RootElement.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
