using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Tracing.Privacy;

/// <summary>
/// Turns user ids (usernames, e-mail addresses) into keyed pseudonyms, HMAC-SHA256 under a secret key held by
/// the platform: the same user always gets the same pseudonym, nobody without the key can link a pseudonym
/// back to a user or test a guess. Pseudonyms look like <c>pseud:v2:</c> + 64 lower-case hex digits: the CHAIMELEON
/// tracer lower-cases <c>userId</c> filter values before it compares them, so a pseudonym must not depend on case to
/// be found. Pseudonyms of the first version (<c>pseud:v1:</c> + 43 base64url characters, the same HMAC) are still
/// recognized, and traces recorded with them still verify.
/// </summary>
public sealed class UserPseudonymizer
{
    /// <summary>Prefix of the pseudonyms written now; values that already carry it are left as they are.</summary>
    public const string Prefix = "pseud:v2:";

    /// <summary>Prefix of the first pseudonyms (case-sensitive base64url), recognized and left as they are.</summary>
    public const string PrefixV1 = "pseud:v1:";

    /// <summary>Shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

    private const int MacBytes = 32;
    private const int V1Length = 43; // base64url of 32 bytes, unpadded
    private const int V2Length = 2 * MacBytes;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly byte[] _key;

    /// <summary>Creates a pseudonymizer.</summary>
    /// <param name="key">The secret key, at least <see cref="MinKeyBytes"/> random bytes.</param>
    public UserPseudonymizer(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"the pseudonymization key must be at least {MinKeyBytes} bytes (got {key.Length})", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>True when <paramref name="userId"/> is already a pseudonym (of either version).</summary>
    /// <param name="userId">A user id.</param>
    public static bool IsPseudonym(string userId) => IsV2(userId) || IsV1(userId);

    /// <summary>The pseudonym of a user id (idempotent: a pseudonym of either version maps to itself).</summary>
    /// <param name="userId">The user's id (case-sensitive after trimming).</param>
    public string Pseudonymize(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (IsPseudonym(userId))
        {
            return userId;
        }

        Span<byte> mac = stackalloc byte[MacBytes];
        Mac(userId, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>Returns <paramref name="trace"/> with its user id pseudonymized.</summary>
    /// <param name="trace">The trace.</param>
    public Model.Trace Apply(Model.Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var pseudonym = Pseudonymize(trace.UserId);
        return ReferenceEquals(pseudonym, trace.UserId) ? trace : trace with { UserId = pseudonym };
    }

    /// <summary>
    /// Returns <paramref name="trace"/> with its user id pseudonymized in the version of <paramref name="recordedUserId"/>:
    /// a plain user id presented to check a trace recorded with a first-version pseudonym gets that version.
    /// </summary>
    /// <param name="trace">The trace presented.</param>
    /// <param name="recordedUserId">The user id of the trace as recorded.</param>
    internal Model.Trace ApplyLike(Model.Trace trace, string recordedUserId)
    {
        if (!IsV1(recordedUserId) || IsPseudonym(trace.UserId)) return Apply(trace);
        Span<byte> mac = stackalloc byte[MacBytes];
        Mac(trace.UserId, mac);
        return trace with { UserId = PrefixV1 + Base64Url(mac) };
    }

    private static bool IsV2(string userId) =>
        userId is not null && userId.Length == Prefix.Length + V2Length && userId.StartsWith(Prefix, StringComparison.Ordinal)
        && !userId.AsSpan(Prefix.Length).ContainsAnyExcept(LowerHex);

    private static bool IsV1(string userId) =>
        userId is not null && userId.Length == PrefixV1.Length + V1Length && userId.StartsWith(PrefixV1, StringComparison.Ordinal);

    private void Mac(string userId, Span<byte> mac) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(userId.Trim()), mac);

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
