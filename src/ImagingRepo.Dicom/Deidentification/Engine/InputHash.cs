using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// The SHA-256 of an input file's bytes: asked for only where an input has no SOP Instance UID, or shares one with an
/// earlier input, so the common path reads no input twice.
/// </summary>
internal static class InputHash
{
    /// <summary>The SHA-256 of the file's bytes.</summary>
    public static byte[] Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 17);
        return SHA256.HashData(stream);
    }

    /// <summary>True when the two files hold the same bytes (the same path trivially does).</summary>
    public static bool SameContent(string path, string other) =>
        string.Equals(path, other, StringComparison.Ordinal)
        || (new FileInfo(path).Length == new FileInfo(other).Length && Of(path).AsSpan().SequenceEqual(Of(other)));
}
