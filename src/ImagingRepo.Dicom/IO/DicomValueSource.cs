using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace ImagingRepo.Dicom.IO;

/// <summary>
/// Where lazily kept values live: the file or stream a dataset was read from. Values above the read threshold stay there
/// as <see cref="DicomValueReference"/>s and are read (or copied chunk by chunk) only when asked for.
/// </summary>
public abstract class DicomValueSource
{
    /// <summary>A description for messages: the file path, or a stream's type.</summary>
    public abstract string Description { get; }

    /// <summary>Reads bytes at an absolute offset of the source.</summary>
    /// <param name="offset">The offset.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <returns>The number of bytes read; fewer than asked only at the end of the source.</returns>
    public abstract int Read(long offset, Span<byte> buffer);

    /// <summary>Copies <paramref name="length"/> bytes at <paramref name="offset"/> to <paramref name="destination"/> in chunks.</summary>
    /// <param name="offset">The offset.</param>
    /// <param name="length">The number of bytes.</param>
    /// <param name="destination">The stream to write to.</param>
    /// <param name="transform">Applied to each chunk before it is written (byte swapping); chunks are whole multiples of 8 bytes except the last.</param>
    /// <exception cref="DicomReadException">The source is shorter than the reference says.</exception>
    public virtual void CopyTo(long offset, long length, Stream destination, SpanAction<byte, int>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (TryCopyToPooled(offset, length, destination, transform, ReadExactly))
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(length, 1 << 17));
        try
        {
            var done = 0L;
            while (done < length)
            {
                var chunk = (int)Math.Min(buffer.Length, length - done);
                var read = ReadExactly(offset + done, buffer.AsSpan(0, chunk));
                transform?.Invoke(buffer.AsSpan(0, read), read);
                destination.Write(buffer, 0, read);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads exactly <c>buffer.Length</c> bytes or throws.</summary>
    /// <param name="offset">The offset.</param>
    /// <param name="buffer">Where to put the bytes.</param>
    /// <returns>The buffer length.</returns>
    protected int ReadExactly(long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = Read(offset + total, buffer[total..]);
            if (read <= 0)
            {
                throw new DicomReadException(Description, offset + total, null,
                    $"the source ended {buffer.Length - total} bytes before the end of a referenced value (was it changed after reading?)");
            }

            total += read;
        }

        return total;
    }

    internal void ReadAll(long offset, Span<byte> buffer) => ReadExactly(offset, buffer);

    /// <summary>Reads straight into an in-memory output's own array, skipping the intermediate chunk buffer.</summary>
    private protected static bool TryCopyToPooled(long offset, long length, Stream destination, SpanAction<byte, int>? transform,
        ReadInto read)
    {
        if (destination is not PooledBufferStream pooled || length > int.MaxValue)
        {
            return false;
        }

        var span = pooled.GetSpan((int)length);
        read(offset, span);
        transform?.Invoke(span, span.Length);
        pooled.Advance(span.Length);
        return true;
    }

    /// <summary>Fills a span from an offset of the source or throws.</summary>
    private protected delegate int ReadInto(long offset, Span<byte> buffer);
}

/// <summary>A file on disk as a value source; the file is opened for each read and never held open.</summary>
public sealed class DicomFileValueSource : DicomValueSource
{
    /// <summary>Creates a source for a file.</summary>
    /// <param name="path">The file path.</param>
    public DicomFileValueSource(string path) => Path = path ?? throw new ArgumentNullException(nameof(path));

    /// <summary>The file path.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Description => Path;

    /// <inheritdoc />
    public override int Read(long offset, Span<byte> buffer)
    {
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return RandomAccess.Read(handle, buffer, offset);
    }

    /// <inheritdoc />
    public override void CopyTo(long offset, long length, Stream destination, SpanAction<byte, int>? transform = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination is OutputPlan plan && transform is null)
        {
            // copied later, chunk by chunk, when the plan is read
            plan.AddFileRange(Path, offset, length);
            return;
        }

        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        if (TryCopyToPooled(offset, length, destination, transform, (start, span) => Fill(handle, start, span)))
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(length, 1), 1 << 17));
        try
        {
            var done = 0L;
            while (done < length)
            {
                var chunk = (int)Math.Min(buffer.Length, length - done);
                var read = Fill(handle, offset + done, buffer.AsSpan(0, chunk));
                transform?.Invoke(buffer.AsSpan(0, read), read);
                destination.Write(buffer, 0, read);
                done += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Fill(SafeFileHandle handle, long offset, Span<byte> span)
    {
        var total = 0;
        while (total < span.Length)
        {
            var read = RandomAccess.Read(handle, span[total..], offset + total);
            if (read <= 0)
            {
                throw new DicomReadException(Path, offset + total, null,
                    $"the file ended {span.Length - total} bytes before the end of a referenced value (was it changed after reading?)");
            }

            total += read;
        }

        return total;
    }
}

/// <summary>A seekable stream as a value source; the caller keeps the stream open while values are used.</summary>
internal sealed class DicomStreamValueSource(Stream stream) : DicomValueSource
{
    private readonly Lock gate = new();

    public override string Description => stream is FileStream file ? file.Name : stream.GetType().Name;

    public override int Read(long offset, Span<byte> buffer)
    {
        lock (gate)
        {
            stream.Position = offset;
            return stream.Read(buffer);
        }
    }
}

/// <summary>A value kept in its source: where it starts, how long it is, and the byte order of its numbers there.</summary>
public sealed class DicomValueReference
{
    /// <summary>Creates a reference.</summary>
    /// <param name="source">The source.</param>
    /// <param name="offset">The absolute offset of the value's first byte.</param>
    /// <param name="length">The value length in bytes.</param>
    /// <param name="isBigEndian">True when the source holds the value's numbers in big-endian order.</param>
    /// <param name="swapSize">The size of the numbers of the value's VR (1 for bytes and text).</param>
    public DicomValueReference(DicomValueSource source, long offset, long length, bool isBigEndian = false, int swapSize = 1)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Offset = offset;
        Length = length;
        IsBigEndian = isBigEndian;
        SwapSize = swapSize;
    }

    /// <summary>The source.</summary>
    public DicomValueSource Source { get; }

    /// <summary>The absolute offset of the value's first byte in the source.</summary>
    public long Offset { get; }

    /// <summary>The value length in bytes.</summary>
    public long Length { get; }

    /// <summary>True when the source holds the numbers in big-endian order (Explicit VR Big Endian).</summary>
    public bool IsBigEndian { get; }

    /// <summary>The size of the numbers of the value's VR (1 for bytes and text).</summary>
    public int SwapSize { get; }

    /// <summary>Reads the whole value (in little-endian order) into a new array. Meant for values that fit in memory.</summary>
    /// <returns>The bytes.</returns>
    public byte[] ToArray()
    {
        if (Length > Array.MaxLength)
        {
            throw new DicomException($"a value of {Length} bytes in {Source.Description} does not fit in one array; copy it with CopyTo instead");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)Length);
        Source.ReadAll(Offset, bytes);
        if (IsBigEndian)
        {
            ByteSwap.InPlace(bytes, SwapSize);
        }

        return bytes;
    }

    /// <summary>Copies the value to a stream in chunks, never holding it whole in memory.</summary>
    /// <param name="destination">The stream.</param>
    /// <param name="bigEndian">True to write the numbers in big-endian order, false for little-endian.</param>
    public void CopyTo(Stream destination, bool bigEndian = false)
    {
        var swap = IsBigEndian != bigEndian && SwapSize > 1 ? SwapSize : 1;
        Source.CopyTo(Offset, Length, destination, swap > 1 ? (span, _) => ByteSwap.InPlace(span, swap) : null);
    }
}
