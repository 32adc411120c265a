using System.Buffers;

namespace ImagingRepo.Dicom.IO;

/// <summary>
/// A forward-only buffered view of a stream (or of bytes in memory) with absolute positions. The buffer only grows as
/// data actually arrives, so a hostile length can never make it allocate more than about twice the bytes present.
/// </summary>
internal sealed class DicomInput : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private Stream? stream;
    private byte[] buffer;
    private readonly bool pooled;
    private int pos;
    private int end;
    private long bufferOffset;
    private bool eof;
    private long length;

    public DicomInput(Stream stream, int initialSize = InitialSize)
    {
        this.stream = stream;
        pooled = true;
        buffer = ArrayPool<byte>.Shared.Rent(initialSize);
        CanSeek = stream.CanSeek;
        length = CanSeek ? stream.Length : -1;
        bufferOffset = CanSeek ? stream.Position : 0;
    }

    public DicomInput(byte[] data, int offset, int count)
    {
        buffer = data;
        pos = offset;
        end = offset + count;
        bufferOffset = -offset;
        eof = true;
        length = count;
        CanSeek = false;
        IsCallerMemory = true;
    }

    /// <summary>True when the buffer is the caller's array, which must not be modified (no in-place byte swapping).</summary>
    public bool IsCallerMemory { get; }

    /// <summary>True when values can be kept as references and skipped by seeking.</summary>
    public bool CanSeek { get; private set; }

    /// <summary>The total length when known, otherwise -1.</summary>
    public long Length => length;

    public long Position => bufferOffset + pos;

    public int Available => end - pos;

    /// <summary>The bytes left before the end, when the length is known; otherwise long.MaxValue.</summary>
    public long Remaining => length >= 0 ? length - Position : (eof ? Available : long.MaxValue);

    public bool Ensure(int count) => end - pos >= count || Fill(count);

    public ReadOnlySpan<byte> Peek(int count) => buffer.AsSpan(pos, count);

    public Span<byte> PeekMutable(int count) => buffer.AsSpan(pos, count);

    public ReadOnlyMemory<byte> PeekMemory(int count) => buffer.AsMemory(pos, count);

    public void Advance(int count) => pos += count;

    public bool AtEnd => pos == end && !Fill(1);

    /// <summary>Skips <paramref name="count"/> bytes; false when the input ended first (then it is at the end).</summary>
    public bool Skip(long count)
    {
        if (count <= end - pos)
        {
            pos += (int)count;
            return true;
        }

        count -= end - pos;
        bufferOffset += end;
        pos = end = 0;
        if (stream is null)
        {
            return false;
        }

        if (CanSeek)
        {
            var target = bufferOffset + count;
            if (target > length)
            {
                bufferOffset = length;
                stream.Position = length;
                eof = true;
                return false;
            }

            stream.Position = target;
            bufferOffset = target;
            return true;
        }

        while (count > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read <= 0)
            {
                eof = true;
                return false;
            }

            count -= read;
            bufferOffset += read;
        }

        return true;
    }

    /// <summary>Reads <paramref name="count"/> bytes into a new array, growing with the data actually present.</summary>
    public byte[]? ReadArray(long count)
    {
        if (count > Remaining)
        {
            return null;
        }

        if (count <= int.MaxValue && Ensure((int)count))
        {
            var result = buffer.AsSpan(pos, (int)count).ToArray();
            pos += (int)count;
            return result;
        }

        return null;
    }

    /// <summary>Continues from a new stream (the inflated rest of a deflated file); positions then count in the new stream.</summary>
    public void SwitchTo(Func<Stream, Stream> wrap)
    {
        var rest = new MemoryStream(buffer, pos, end - pos, writable: false);
        var tail = new ConcatenatedStream(rest, stream ?? Stream.Null);
        stream = wrap(tail);
        CanSeek = false;
        length = -1;
        eof = false;
        bufferOffset = 0;
        var copy = pooled ? ArrayPool<byte>.Shared.Rent(InitialSize) : new byte[InitialSize];
        if (pooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        buffer = copy;
        pos = end = 0;
    }

    private bool Fill(int count)
    {
        if (eof || stream is null)
        {
            return false;
        }

        if (pos > 0)
        {
            Buffer.BlockCopy(buffer, pos, buffer, 0, end - pos);
            bufferOffset += pos;
            end -= pos;
            pos = 0;
        }

        var satisfiable = true;
        if (length >= 0 && count > length - bufferOffset)
        {
            // Known length: buffer what exists, never more.
            satisfiable = false;
            count = (int)Math.Clamp(length - bufferOffset, 0, int.MaxValue);
        }

        while (end < count)
        {
            if (end == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read <= 0)
            {
                eof = true;
                return false;
            }

            end += read;
        }

        return satisfiable;
    }

    public void Dispose()
    {
        if (pooled && buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    /// <summary>Reads one stream, then another (the buffered remainder, then the rest of the file).</summary>
    private sealed class ConcatenatedStream(Stream first, Stream second) : Stream
    {
        private bool firstDone;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (!firstDone)
            {
                var read = first.Read(buffer);
                if (read > 0)
                {
                    return read;
                }

                firstDone = true;
            }

            return second.Read(buffer);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
