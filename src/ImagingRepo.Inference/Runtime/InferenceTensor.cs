using System.Buffers;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// A dense float32 tensor in row-major order over a pooled buffer: the input and output type of <see cref="OnnxModel"/>.
/// ONNX Runtime reads and writes it in place (the buffer is pinned for the run, not copied). Dispose it to return the buffer.
/// </summary>
public sealed class InferenceTensor : IDisposable
{
    private readonly long[] _shape;
    private float[]? _buffer;

    private InferenceTensor(float[] buffer, long[] shape, int length)
    {
        _buffer = buffer;
        _shape = shape;
        Length = length;
    }

    /// <summary>The number of elements.</summary>
    public int Length { get; }

    /// <summary>The dimensions.</summary>
    public ReadOnlySpan<long> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The elements.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Span<float> Span => Buffer.AsSpan(0, Length);

    /// <summary>The elements as memory.</summary>
    /// <exception cref="ObjectDisposedException">The tensor was disposed.</exception>
    public Memory<float> Memory => Buffer.AsMemory(0, Length);

    private float[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(InferenceTensor));

    /// <summary>Creates a tensor of zeros over a pooled buffer.</summary>
    /// <param name="shape">The dimensions, each positive.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">A dimension is not positive, or the tensor would exceed 2^31 elements.</exception>
    public static InferenceTensor Create(params ReadOnlySpan<long> shape)
    {
        var length = ElementCount(shape);
        var buffer = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        Array.Clear(buffer, 0, length);
        return new InferenceTensor(buffer, shape.ToArray(), length);
    }

    /// <summary>Creates a tensor holding a copy of values.</summary>
    /// <param name="values">The values in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values.</param>
    /// <returns>The tensor.</returns>
    public static InferenceTensor FromValues(ReadOnlySpan<float> values, params ReadOnlySpan<long> shape)
    {
        var tensor = Create(shape);
        if (values.Length != tensor.Length)
        {
            tensor.Dispose();
            throw new ArgumentException($"{values.Length} values do not fill shape {TensorDescription.FormatShape(shape.ToArray())}", nameof(values));
        }

        values.CopyTo(tensor.Span);
        return tensor;
    }

    /// <summary>The element count of a shape, checked.</summary>
    internal static int ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension <= 0)
            {
                throw new ArgumentException($"every dimension must be positive: {TensorDescription.FormatShape(shape.ToArray())}", nameof(shape));
            }

            count *= dimension;
            if (count > Array.MaxLength)
            {
                throw new ArgumentException($"a tensor of shape {TensorDescription.FormatShape(shape.ToArray())} exceeds {Array.MaxLength} elements", nameof(shape));
            }
        }

        return (int)count;
    }

    /// <summary>The dimensions as an array ONNX Runtime accepts.</summary>
    internal long[] ShapeArray() => (long[])_shape.Clone();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
