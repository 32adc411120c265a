namespace ImagingRepo.Dicom.Imaging;

/// <summary>The Image Pixel module attributes that say how pixel data is laid out, read and checked once.</summary>
internal sealed record ImageAttributes(
    int Rows,
    int Columns,
    int FrameCount,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int HighBit,
    bool IsSigned,
    bool IsPlanar,
    string Photometric)
{
    /// <summary>The most values one frame may hold: its float and int buffers must fit in one array.</summary>
    public const long MaxSamplesPerFrame = 1L << 28;

    public long PixelCount => (long)Rows * Columns;

    /// <summary>How a native frame lies.</summary>
    public FrameLayout NativeLayout => new(BitsAllocated, SamplesPerPixel, IsPlanar && SamplesPerPixel > 1, Photometric == "YBR_FULL_422" && SamplesPerPixel == 3, Photometric);

    /// <summary>The bytes of one native frame (rounded up for 1-bit data).</summary>
    public long NativeFrameLength => NativeLayout.ByteLength(PixelCount);

    public static ImageAttributes Read(DicomDataset dataset, string description)
    {
        int Required(DicomTag tag)
        {
            if (!dataset.TryGetInt32(tag, out var value))
            {
                throw new DicomPixelDataException($"{description}: {DicomDictionary.GetKeyword(tag)} {tag} is missing or not a number");
            }

            return value;
        }

        var rows = Required(DicomTags.Rows);
        var columns = Required(DicomTags.Columns);
        var bitsAllocated = Required(DicomTags.BitsAllocated);
        var samples = dataset.TryGetInt32(DicomTags.SamplesPerPixel, out var spp) ? spp : 1;
        var bitsStored = dataset.TryGetInt32(DicomTags.BitsStored, out var stored) ? stored : bitsAllocated;
        var highBit = dataset.TryGetInt32(DicomTags.HighBit, out var high) ? high : bitsStored - 1;
        var signed = dataset.TryGetInt32(DicomTags.PixelRepresentation, out var representation) && representation == 1;
        var planar = dataset.TryGetInt32(DicomTags.PlanarConfiguration, out var configuration) && configuration == 1;
        var frames = dataset.TryGetInt32(DicomTags.NumberOfFrames, out var count) && count > 0 ? count : 1;
        var photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim().ToUpperInvariant() is { Length: > 0 } declared
            ? declared
            : samples == 1 ? "MONOCHROME2" : "RGB";

        if (rows <= 0 || columns <= 0 || rows > ushort.MaxValue || columns > ushort.MaxValue)
        {
            throw new DicomPixelDataException($"{description}: an image of {rows} rows by {columns} columns is not valid");
        }

        if (samples is not (1 or 3 or 4))
        {
            throw new DicomPixelDataException($"{description}: {samples} samples per pixel are not supported (1 or 3)");
        }

        if (bitsAllocated is not (1 or 8 or 16 or 32))
        {
            throw new DicomPixelDataException($"{description}: bits allocated {bitsAllocated} is not supported (1, 8, 16 or 32)");
        }

        if (bitsStored < 1 || bitsStored > bitsAllocated || highBit < bitsStored - 1 || highBit >= bitsAllocated)
        {
            throw new DicomPixelDataException($"{description}: bits stored {bitsStored} and high bit {highBit} do not fit bits allocated {bitsAllocated}");
        }

        if ((long)rows * columns * samples > MaxSamplesPerFrame)
        {
            throw new DicomPixelDataException($"{description}: a frame of {rows} × {columns} × {samples} samples is larger than this reader handles ({MaxSamplesPerFrame})");
        }

        if (photometric == "YBR_FULL_422" && samples == 3 && columns % 2 != 0)
        {
            throw new DicomPixelDataException($"{description}: YBR_FULL_422 needs an even number of columns, not {columns}");
        }

        return new ImageAttributes(rows, columns, frames, samples, bitsAllocated, bitsStored, highBit, signed, planar, photometric);
    }
}
