using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Dicom.Deidentification.Pseudonymization;

/// <summary>
/// A project's secret pseudonymization key. Every replacement UID, patient pseudonym and date offset is an
/// HMAC-SHA256 of the original under this key, so runs on any machine agree without a shared map, and
/// nobody without the key can link a pseudonym back.
/// </summary>
public sealed class DeidentificationKey
{
    /// <summary>The fewest key bytes accepted (128 bits).</summary>
    public const int MinimumLength = 16;

    private readonly byte[] _secret;

    /// <summary>Creates a key from its secret bytes (copied).</summary>
    /// <param name="secret">At least <see cref="MinimumLength"/> random bytes; 32 are recommended.</param>
    /// <exception cref="ArgumentException">The secret is too short.</exception>
    public DeidentificationKey(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < MinimumLength)
        {
            throw new ArgumentException(
                $"A de-identification key needs at least {MinimumLength} bytes; got {secret.Length}.", nameof(secret));
        }

        _secret = secret.ToArray();
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(_secret, digest);
        Fingerprint = Convert.ToHexStringLower(digest[..8]);
    }

    /// <summary>
    /// A public fingerprint of the key (16 hex digits of its SHA-256) for receipts: it tells which key was used
    /// without revealing it.
    /// </summary>
    public string Fingerprint { get; }

    internal ReadOnlySpan<byte> Secret => _secret;

    /// <summary>Creates a fresh random 256-bit key.</summary>
    /// <returns>The key.</returns>
    public static DeidentificationKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key as base64, the form <see cref="Parse"/> and key files use.</summary>
    /// <returns>The base64 text. Treat it as a secret.</returns>
    public string ToBase64() => Convert.ToBase64String(_secret);

    /// <summary>Parses a key written as base64 or hexadecimal text.</summary>
    /// <param name="text">The key text; surrounding white space is ignored.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is neither base64 nor hex of at least <see cref="MinimumLength"/> bytes.</exception>
    public static DeidentificationKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        byte[]? bytes = null;
        if (trimmed.Length % 2 == 0 && trimmed.Length >= MinimumLength * 2 && IsHex(trimmed))
        {
            bytes = Convert.FromHexString(trimmed);
        }
        else
        {
            var buffer = new byte[(trimmed.Length * 3 / 4) + 3];
            if (Convert.TryFromBase64String(trimmed, buffer, out var written))
            {
                bytes = buffer[..written];
            }
        }

        if (bytes is null || bytes.Length < MinimumLength)
        {
            throw new FormatException(
                $"A de-identification key must be base64 or hex text of at least {MinimumLength} bytes.");
        }

        return new DeidentificationKey(bytes);
    }

    /// <summary>Reads a key file: base64 or hex text, or at least <see cref="MinimumLength"/> raw bytes.</summary>
    /// <param name="path">The key file.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The file does not hold a usable key.</exception>
    public static DeidentificationKey FromFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = Encoding.ASCII.GetString(bytes).Trim();
        try
        {
            return Parse(text);
        }
        catch (FormatException) when (bytes.Length >= MinimumLength && !IsPrintable(bytes))
        {
            return new DeidentificationKey(bytes);
        }
        catch (FormatException e)
        {
            throw new FormatException($"Key file '{path}': {e.Message}", e);
        }
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsPrintable(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E && b is not ((byte)'\n' or (byte)'\r' or (byte)'\t'))
            {
                return false;
            }
        }

        return true;
    }
}
