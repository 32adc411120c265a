using System.Buffers;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>One frame's bytes in a <see cref="FrameLayout"/>: either a slice of a value held in memory or a pooled array that goes back to the pool on dispose.</summary>
internal sealed class FrameBuffer : IDisposable
{
    private byte[]? rented;
    private readonly ReadOnlyMemory<byte> borrowed;
    private readonly int length;

    private FrameBuffer(byte[]? rented, ReadOnlyMemory<byte> borrowed, int length, FrameLayout layout)
    {
        this.rented = rented;
        this.borrowed = borrowed;
        this.length = length;
        Layout = layout;
    }

    /// <summary>How the bytes lie.</summary>
    public FrameLayout Layout { get; private set; }

    /// <summary>The frame's bytes.</summary>
    public ReadOnlySpan<byte> Span => rented is { } array ? array.AsSpan(0, length) : borrowed.Span[..length];

    /// <summary>The frame's bytes, writable (only for rented buffers).</summary>
    public Span<byte> WritableSpan => rented is { } array ? array.AsSpan(0, length) : throw new InvalidOperationException("a borrowed frame is read-only");

    /// <summary>Wraps bytes held elsewhere (no copy).</summary>
    public static FrameBuffer Borrow(ReadOnlyMemory<byte> bytes, FrameLayout layout) => new(null, bytes, bytes.Length, layout);

    /// <summary>Rents a buffer of <paramref name="length"/> bytes (checked against the array limit by the caller).</summary>
    public static FrameBuffer Rent(int length, FrameLayout layout) => new(ArrayPool<byte>.Shared.Rent(Math.Max(length, 1)), default, length, layout);

    /// <summary>Changes what the bytes are said to be (a decoder that converts colour in place).</summary>
    public void Relabel(FrameLayout layout) => Layout = layout;

    /// <inheritdoc />
    public void Dispose()
    {
        if (rented is { } array)
        {
            rented = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
