namespace ImagingRepo.Inference.Outputs;

/// <summary>
/// A label map on the source grid: one byte per source pixel (column fastest, then row, then slice in volume order),
/// 0 for background and a model label value (segment number) elsewhere.
/// </summary>
public sealed class SegmentationMask
{
    /// <summary>Creates a mask.</summary>
    /// <param name="columns">Columns per slice.</param>
    /// <param name="rows">Rows per slice.</param>
    /// <param name="slices">Slices.</param>
    /// <param name="labels">The labels; null for an empty mask.</param>
    public SegmentationMask(int columns, int rows, int slices, byte[]? labels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slices, 1);
        var length = checked(columns * rows * slices);
        if (labels is not null && labels.Length != length)
        {
            throw new ArgumentException($"{labels.Length} labels do not fill {columns}x{rows}x{slices}", nameof(labels));
        }

        Columns = columns;
        Rows = rows;
        Slices = slices;
        Labels = labels ?? new byte[length];
    }

    /// <summary>Columns per slice.</summary>
    public int Columns { get; }

    /// <summary>Rows per slice.</summary>
    public int Rows { get; }

    /// <summary>Slices.</summary>
    public int Slices { get; }

    /// <summary>The labels.</summary>
    public byte[] Labels { get; }

    /// <summary>The pixels per slice.</summary>
    public int SliceLength => Columns * Rows;

    /// <summary>The labels of one slice.</summary>
    /// <param name="slice">The slice index in volume order.</param>
    /// <returns>The labels.</returns>
    public ReadOnlySpan<byte> Slice(int slice) => Labels.AsSpan(slice * SliceLength, SliceLength);

    /// <summary>The number of pixels carrying a label.</summary>
    /// <param name="label">The label.</param>
    /// <returns>The count.</returns>
    public long Count(byte label) => Labels.AsSpan().Count(label);
}
