using System.Buffers;

namespace ImagingRepo.Dicom.IO;

/// <summary>
/// A write-only stream into one pooled array, for outputs that are hashed whole before they reach a file. Value sources
/// recognise it and read large values straight into <see cref="GetSpan"/>, so pixel data is copied once, not twice.
/// </summary>
internal sealed class PooledBufferStream(int initialCapacity) : WriteOnlyStream
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 4096));
    private int _length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public override long Length => _length;

    /// <summary>A span of at least <paramref name="size"/> bytes at the end of the written data; <see cref="Advance"/> commits it.</summary>
    public Span<byte> GetSpan(int size)
    {
        Ensure(size);
        return _buffer.AsSpan(_length, size);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the last <see cref="GetSpan"/>.</summary>
    public void Advance(int count) => _length += count;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(GetSpan(buffer.Length));
        _length += buffer.Length;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }

        base.Dispose(disposing);
    }

    private void Ensure(int size)
    {
        if ((long)_length + size <= _buffer.Length)
        {
            return;
        }

        var needed = (long)_length + size;
        if (needed > Array.MaxLength)
        {
            throw new IOException($"an in-memory output cannot exceed {Array.MaxLength} bytes");
        }

        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
