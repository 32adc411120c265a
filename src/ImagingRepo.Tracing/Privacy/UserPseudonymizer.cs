using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Tracing.Privacy;

/// <summary>
/// Turns user ids (usernames, e-mail addresses) into keyed pseudonyms, HMAC-SHA256 under a secret key held by
/// the platform: the same user always gets the same pseudonym, nobody without the key can link a pseudonym
/// back to a user or test a guess. Pseudonyms look like <c>pseud:v1:</c> + 43 base64url characters.
/// </summary>
public sealed class UserPseudonymizer
{
    /// <summary>Prefix of every pseudonym; values that already carry it are left as they are.</summary>
    public const string Prefix = "pseud:v1:";

    /// <summary>Shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

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

    /// <summary>True when <paramref name="userId"/> is already a pseudonym.</summary>
    /// <param name="userId">A user id.</param>
    public static bool IsPseudonym(string userId) =>
        userId is not null && userId.StartsWith(Prefix, StringComparison.Ordinal) && userId.Length == Prefix.Length + 43;

    /// <summary>The pseudonym of a user id (idempotent: a pseudonym maps to itself).</summary>
    /// <param name="userId">The user's id (case-sensitive after trimming).</param>
    public string Pseudonymize(string userId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        if (IsPseudonym(userId))
        {
            return userId;
        }

        var input = Encoding.UTF8.GetBytes(userId.Trim());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, input, mac);
        return Prefix + Base64Url(mac);
    }

    /// <summary>Returns <paramref name="trace"/> with its user id pseudonymized.</summary>
    /// <param name="trace">The trace.</param>
    public Model.Trace Apply(Model.Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var pseudonym = Pseudonymize(trace.UserId);
        return ReferenceEquals(pseudonym, trace.UserId) ? trace : trace with { UserId = pseudonym };
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
