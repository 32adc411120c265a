using System.Buffers;
using System.Security.Cryptography;

namespace ImagingRepo.Client.Storage;

/// <summary>SHA-256 of files and streams as the data lake records it: lower-case hex.</summary>
public static class Sha256Hashing
{
    private const int BufferSize = 1024 * 1024;

    /// <summary>The SHA-256 of a file, read once in 1 MiB blocks.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await HashStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The SHA-256 of what remains of a stream.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<string> HashStreamAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return ToHex(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Lower-case hex of a digest.</summary>
    /// <param name="digest">The digest.</param>
    public static string ToHex(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
