using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Infrastructure;

/// <summary>
/// A write-only pass-through that hashes every byte on its way to the file, so the receipt's SHA3-256 costs no
/// second read of the output.
/// </summary>
internal sealed class HashingWriteStream(Stream inner, HashAlgorithmName algorithm) : WriteOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(algorithm);

    public long BytesWritten { get; private set; }

    public override long Length => BytesWritten;

    public byte[] GetHash() => _hash.GetHashAndReset();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        inner.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
