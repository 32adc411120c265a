using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Inference.Outputs;

/// <summary>
/// UIDs of results: <c>2.25.</c> and 128 bits of SHA-256 over what the result is (the model's digest, the source series,
/// the kind of output). They reveal nothing of their inputs, and the same model on the same series gives the same UIDs on
/// every run, so a rerun replaces its results instead of adding copies.
/// </summary>
public static class ResultUids
{
    /// <summary>Derives a UID from its parts.</summary>
    /// <param name="parts">What identifies the object (order matters).</param>
    /// <returns>A UID of at most 44 characters.</returns>
    public static string Derive(params ReadOnlySpan<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("imagingrepo-inference-uid\0"u8);
        foreach (var part in parts)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(part));
            hash.AppendData([0]);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return "2.25." + BinaryPrimitives.ReadUInt128BigEndian(digest).ToString(CultureInfo.InvariantCulture);
    }
}
