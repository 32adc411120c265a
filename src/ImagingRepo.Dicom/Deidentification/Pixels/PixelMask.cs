namespace ImagingRepo.Dicom.Deidentification.Pixels;

/// <summary>
/// Blanks rectangles of native (uncompressed) pixel data while it streams: each chunk is told its offset in the
/// value and the bytes of every masked row that fall in it are zeroed. All frames and planes are masked alike.
/// </summary>
internal sealed class PixelMask
{
    private readonly int _rows;
    private readonly int _columns;
    private readonly int _bytesPerSample;
    private readonly int _samplesPerPixel;
    private readonly bool _planar;
    private readonly long _frameSize;
    private readonly PixelRectangle[] _rectangles;

    private PixelMask(int rows, int columns, int bytesPerSample, int samplesPerPixel, bool planar, IReadOnlyList<PixelRectangle> rectangles)
    {
        _rows = rows;
        _columns = columns;
        _bytesPerSample = bytesPerSample;
        _samplesPerPixel = samplesPerPixel;
        _planar = planar;
        _frameSize = (long)rows * columns * samplesPerPixel * bytesPerSample;
        _rectangles = [.. rectangles.Select(r => Clip(r, rows, columns)).Where(r => r.Width > 0 && r.Height > 0)];
    }

    /// <summary>Creates a mask for the image geometry, or explains why the pixel data cannot be masked.</summary>
    public static PixelMask? TryCreate(int rows, int columns, int bitsAllocated, int samplesPerPixel, int planarConfiguration,
        IReadOnlyList<PixelRectangle> rectangles, out string? reason)
    {
        reason = null;
        if (rows <= 0 || columns <= 0 || samplesPerPixel is < 1 or > 4)
        {
            reason = "the image geometry (rows, columns, samples per pixel) is missing or invalid";
            return null;
        }

        if (bitsAllocated is not (8 or 16 or 32))
        {
            reason = $"bits allocated {bitsAllocated} cannot be masked by byte ranges";
            return null;
        }

        return new PixelMask(rows, columns, bitsAllocated / 8, samplesPerPixel, planarConfiguration == 1 && samplesPerPixel > 1, rectangles);
    }

    /// <summary>The expected pixel-data length for a number of frames (before padding).</summary>
    public long FrameSize => _frameSize;

    /// <summary>Zeroes the masked bytes of a chunk that starts at <paramref name="offset"/> of the pixel-data value.</summary>
    public void Apply(Span<byte> chunk, long offset)
    {
        if (chunk.IsEmpty || _rectangles.Length == 0)
        {
            return;
        }

        var end = offset + chunk.Length;
        var firstFrame = offset / _frameSize;
        var lastFrame = (end - 1) / _frameSize;
        var planes = _planar ? _samplesPerPixel : 1;
        var pixelBytes = _planar ? _bytesPerSample : _bytesPerSample * _samplesPerPixel;
        var planeSize = (long)_rows * _columns * pixelBytes;
        for (var frame = firstFrame; frame <= lastFrame; frame++)
        {
            for (var plane = 0; plane < planes; plane++)
            {
                var planeStart = (frame * _frameSize) + (plane * planeSize);
                foreach (var r in _rectangles)
                {
                    for (var y = r.Y; y < r.Y + r.Height; y++)
                    {
                        var start = planeStart + ((((long)y * _columns) + r.X) * pixelBytes);
                        var stop = start + ((long)r.Width * pixelBytes);
                        if (stop <= offset)
                        {
                            continue;
                        }

                        if (start >= end)
                        {
                            break;
                        }

                        var from = Math.Max(start, offset);
                        var to = Math.Min(stop, end);
                        chunk[(int)(from - offset)..(int)(to - offset)].Clear();
                    }
                }
            }
        }
    }

    private static PixelRectangle Clip(PixelRectangle r, int rows, int columns)
    {
        var x = Math.Min(r.X, columns);
        var y = Math.Min(r.Y, rows);
        return new PixelRectangle(x, y, Math.Min(r.Width, columns - x), Math.Min(r.Height, rows - y));
    }
}
