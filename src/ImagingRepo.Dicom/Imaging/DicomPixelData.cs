using System.Buffers;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// The frames of an image's pixel data, native or encapsulated, as stored values, modality values (rescaled, per frame
/// where functional groups say so) or 8-bit RGB for display. Frames are read one at a time into pooled buffers; a pixel
/// data value kept lazily in its file is read frame by frame and never held whole.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomDataset dataset;
    private readonly IFrameSource frames;
    private readonly StoredValueFormat format;
    private readonly string description;
    private readonly DicomRescale?[] rescales;
    private readonly DicomVoiWindow?[] windows;
    private PaletteColorTable? palette;

    private DicomPixelData(DicomDataset dataset, ImageAttributes image, DicomTransferSyntax transferSyntax, IFrameSource frames, string decodedPhotometric, string description)
    {
        this.dataset = dataset;
        this.frames = frames;
        this.description = description;
        Rows = image.Rows;
        Columns = image.Columns;
        FrameCount = image.FrameCount;
        SamplesPerPixel = image.SamplesPerPixel;
        BitsAllocated = image.BitsAllocated;
        BitsStored = image.BitsStored;
        HighBit = image.HighBit;
        IsSigned = image.IsSigned;
        PlanarConfiguration = image.IsPlanar ? 1 : 0;
        PhotometricInterpretation = image.Photometric;
        DecodedPhotometricInterpretation = decodedPhotometric;
        TransferSyntax = transferSyntax;
        format = new StoredValueFormat(BitsStored, HighBit, IsSigned);
        rescales = new DicomRescale?[FrameCount];
        windows = new DicomVoiWindow?[FrameCount];
    }

    /// <summary>Rows (0028,0010).</summary>
    public int Rows { get; }

    /// <summary>Columns (0028,0011).</summary>
    public int Columns { get; }

    /// <summary>Number of Frames (0028,0008); 1 for single-frame images.</summary>
    public int FrameCount { get; }

    /// <summary>Samples per Pixel (0028,0002): 1 for grey and palette images, 3 for colour.</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Bits Allocated (0028,0100): 1, 8, 16 or 32.</summary>
    public int BitsAllocated { get; }

    /// <summary>Bits Stored (0028,0101).</summary>
    public int BitsStored { get; }

    /// <summary>High Bit (0028,0102).</summary>
    public int HighBit { get; }

    /// <summary>True when Pixel Representation (0028,0103) is 1: stored values are two's complement.</summary>
    public bool IsSigned { get; }

    /// <summary>Planar Configuration (0028,0006) as declared: 0 interleaved, 1 by planes.</summary>
    public int PlanarConfiguration { get; }

    /// <summary>Photometric Interpretation (0028,0004) as declared, e.g. <c>MONOCHROME2</c>, <c>RGB</c>, <c>YBR_FULL_422</c>.</summary>
    public string PhotometricInterpretation { get; }

    /// <summary>
    /// The photometric interpretation of the samples that <see cref="ReadStoredFrame(int, Span{int})"/> gives: the declared one, except
    /// where decoding changes it (a JPEG decoder's colour transform gives <c>RGB</c>; native <c>YBR_FULL_422</c> is
    /// widened to <c>YBR_FULL</c>).
    /// </summary>
    public string DecodedPhotometricInterpretation { get; }

    /// <summary>The transfer syntax of the pixel data.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>True when the pixel data is encapsulated (compressed frames in fragments).</summary>
    public bool IsEncapsulated => TransferSyntax.IsEncapsulated;

    /// <summary>Rows × Columns.</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>The number of values a frame holds: Rows × Columns × Samples per Pixel (the length <see cref="ReadStoredFrame(int, Span{int})"/> and <see cref="ReadModalityFrame"/> need).</summary>
    public int SampleCount => Rows * Columns * SamplesPerPixel;

    /// <summary>True for MONOCHROME1 and MONOCHROME2.</summary>
    public bool IsMonochrome => PhotometricInterpretation is "MONOCHROME1" or "MONOCHROME2";

    /// <summary>Reads the image attributes of a file and prepares its frames (no pixel data is read yet).</summary>
    /// <param name="file">The file.</param>
    /// <returns>The pixel data.</returns>
    /// <exception cref="DicomPixelDataException">There is no pixel data, or the image attributes are missing or inconsistent.</exception>
    /// <exception cref="DicomUnsupportedTransferSyntaxException">The pixel data is compressed in a syntax no decoder here reads.</exception>
    public static DicomPixelData Open(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var description = file.FilePath ?? "the dataset";
        var dataset = file.Dataset;
        var image = ImageAttributes.Read(dataset, description);
        var element = dataset[DicomTags.PixelData]
            ?? throw new DicomPixelDataException(dataset.Contains(DicomTags.FloatPixelData) || dataset.Contains(DicomTags.DoubleFloatPixelData)
                ? $"{description}: float pixel data (7FE0,0008/0009) is not supported"
                : $"{description}: no Pixel Data (7FE0,0010)");
        var syntax = file.TransferSyntax;
        switch (element)
        {
            case DicomValueElement value when !syntax.IsEncapsulated || value.Length >= image.NativeFrameLength * image.FrameCount:
                var layout = image.NativeLayout;
                // Number of Frames must not promise more frames than the value starts: the per-frame state is sized by it
                var lastStart = image.BitsAllocated == 1
                    ? (image.FrameCount - 1) * image.PixelCount * image.SamplesPerPixel / 8
                    : (image.FrameCount - 1) * image.NativeFrameLength;
                if (image.FrameCount > 1 && lastStart >= value.Length)
                {
                    throw new DicomPixelDataException($"{description}: Number of Frames is {image.FrameCount}, but the {value.Length} bytes of pixel data do not reach the last frame's start (byte {lastStart})");
                }

                var source = new NativeFrameSource(value, layout, image.PixelCount, syntax.IsBigEndian, description);
                var decoded = image.Photometric == "YBR_FULL_422" && layout.IsSubsampled422 ? "YBR_FULL" : image.Photometric;
                return new DicomPixelData(dataset, image, syntax, source, decoded, description);
            case DicomValueElement:
                throw new DicomPixelDataException($"{description}: the transfer syntax {syntax} is encapsulated but the pixel data is a plain value too short for its frames");
            case DicomFragmentSequence fragments:
                var decoder = FrameDecoders.Find(syntax);
                var index = EncapsulatedFrameIndex.Build(dataset, fragments, image.FrameCount, description);
                var frames = new EncapsulatedFrameSource(fragments, index, decoder, image, syntax, description);
                return new DicomPixelData(dataset, image, syntax, frames, decoder.DecodedPhotometric(image), description);
            default:
                throw new DicomPixelDataException($"{description}: Pixel Data (7FE0,0010) is a {element.GetType().Name}, not pixel values");
        }
    }

    /// <summary>The modality rescale of a frame: from its Pixel Value Transformation functional group, else the shared one, else the top-level attributes; identity when none.</summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <returns>The rescale.</returns>
    public DicomRescale GetRescale(int frame)
    {
        CheckFrame(frame);
        return rescales[frame] ??= (FunctionalGroups.Find(dataset, frame, DicomTags.PixelValueTransformationSequence) is { } group ? DicomRescale.FromDataset(group) : null)
            ?? DicomRescale.FromDataset(dataset)
            ?? DicomRescale.Identity;
    }

    /// <summary>The VOI window a frame declares: from its Frame VOI LUT functional group, else the shared one, else the top-level attributes (the first window); null when none.</summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <returns>The window, or null.</returns>
    public DicomVoiWindow? GetVoiWindow(int frame)
    {
        CheckFrame(frame);
        return windows[frame] ??= (FunctionalGroups.Find(dataset, frame, DicomTags.FrameVOILUTSequence) is { } group ? DicomVoiWindow.FromDataset(group) : null)
            ?? DicomVoiWindow.FromDataset(dataset);
    }

    /// <summary>Reads a frame's stored values, pixel-interleaved (R G B R G B… for colour), masked to Bits Stored and sign-extended.</summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="destination">At least <see cref="SampleCount"/> values.</param>
    /// <exception cref="DicomPixelDataException">The frame cannot be read or decoded.</exception>
    public void ReadStoredFrame(int frame, Span<int> destination)
    {
        CheckFrame(frame);
        CheckDestination(destination.Length, SampleCount);
        using var buffer = frames.ReadFrame(frame);
        SampleReader.ReadStored(buffer, format, PixelCount, destination);
    }

    /// <summary>Reads a frame's stored values as 64-bit integers, for 32-bit unsigned data whose values exceed <see cref="int.MaxValue"/>.</summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="destination">At least <see cref="SampleCount"/> values.</param>
    /// <exception cref="DicomPixelDataException">The frame cannot be read or decoded.</exception>
    public void ReadStoredFrame(int frame, Span<long> destination)
    {
        CheckFrame(frame);
        CheckDestination(destination.Length, SampleCount);
        using var buffer = frames.ReadFrame(frame);
        SampleReader.ReadStored(buffer, format, PixelCount, destination);
    }

    /// <summary>
    /// Reads a frame's modality values: stored values × Rescale Slope + Rescale Intercept of that frame (Hounsfield units
    /// for CT). Colour images give their samples pixel-interleaved, unscaled.
    /// </summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="destination">At least <see cref="SampleCount"/> values.</param>
    /// <exception cref="DicomPixelDataException">The frame cannot be read or decoded.</exception>
    public void ReadModalityFrame(int frame, Span<float> destination)
    {
        CheckFrame(frame);
        CheckDestination(destination.Length, SampleCount);
        var rescale = SamplesPerPixel == 1 && PhotometricInterpretation != "PALETTE COLOR" ? GetRescale(frame) : DicomRescale.Identity;
        using var buffer = frames.ReadFrame(frame);
        SampleReader.ReadRescaled(buffer, format, PixelCount, (float)rescale.Slope, (float)rescale.Intercept, destination);
    }

    /// <summary>
    /// Reads a frame as interleaved 8-bit RGB for display: grey images through the frame's VOI window (its declared one,
    /// else the frame's value range), MONOCHROME1 inverted; palette images through their tables; YBR converted.
    /// </summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="destination">At least <see cref="PixelCount"/> × 3 bytes.</param>
    public void ReadRgbFrame(int frame, Span<byte> destination) => ReadRgbFrame(frame, destination, null);

    /// <summary>Reads a frame as interleaved 8-bit RGB, grey images through a window of the caller's choice.</summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="destination">At least <see cref="PixelCount"/> × 3 bytes.</param>
    /// <param name="window">The window for grey images; null for the frame's own (or its value range).</param>
    /// <exception cref="DicomPixelDataException">The frame cannot be read or decoded, or its photometric interpretation cannot be shown.</exception>
    public void ReadRgbFrame(int frame, Span<byte> destination, DicomVoiWindow? window)
    {
        CheckFrame(frame);
        CheckDestination(destination.Length, PixelCount * 3);
        var pixels = PixelCount;
        if (IsMonochrome && SamplesPerPixel == 1)
        {
            var values = ArrayPool<float>.Shared.Rent(pixels);
            try
            {
                var modality = values.AsSpan(0, pixels);
                ReadModalityFrame(frame, modality);
                var voi = window ?? GetVoiWindow(frame) ?? DicomVoiWindow.FromValues(modality);
                var grey = destination[(pixels * 2)..(pixels * 3)];
                voi.Apply(modality, grey);
                if (PhotometricInterpretation == "MONOCHROME1")
                {
                    for (var i = 0; i < grey.Length; i++)
                    {
                        grey[i] = (byte)(255 - grey[i]);
                    }
                }

                // spread the grey values (kept in the last third) into triplets, front to back, never overwriting one unread
                for (var i = 0; i < pixels; i++)
                {
                    var g = destination[(pixels * 2) + i];
                    destination[i * 3] = g;
                    destination[(i * 3) + 1] = g;
                    destination[(i * 3) + 2] = g;
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(values);
            }

            return;
        }

        var samples = ArrayPool<int>.Shared.Rent(SampleCount);
        try
        {
            var stored = samples.AsSpan(0, SampleCount);
            ReadStoredFrame(frame, stored);
            switch (DecodedPhotometricInterpretation)
            {
                case "PALETTE COLOR" when SamplesPerPixel == 1:
                    palette ??= PaletteColorTable.Read(dataset, IsSigned, description);
                    palette.Map(stored, destination);
                    break;
                case "RGB" when SamplesPerPixel == 3:
                    ColorConversion.RgbTo8Bit(stored, BitsStored, destination);
                    break;
                case "YBR_FULL" or "YBR_FULL_422" when SamplesPerPixel == 3:
                    ColorConversion.YbrFullToRgb(stored, BitsStored, destination);
                    break;
                default:
                    throw new DicomPixelDataException($"{description}: photometric interpretation {DecodedPhotometricInterpretation} with {SamplesPerPixel} samples per pixel cannot be shown as RGB");
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(samples);
        }
    }

    /// <summary>
    /// Renders a frame as a PNG image, as notebooks show it: the pixels of <see cref="ReadRgbFrame(int, Span{byte}, DicomVoiWindow?)"/>,
    /// stored as 8-bit greyscale for monochrome images and 8-bit RGB for the others.
    /// </summary>
    /// <param name="frame">The zero-based frame index.</param>
    /// <param name="window">The window for grey images; null for the frame's own (or its value range).</param>
    /// <returns>The PNG file's bytes.</returns>
    /// <exception cref="DicomPixelDataException">The frame cannot be read or decoded, or its photometric interpretation cannot be shown.</exception>
    public byte[] RenderPng(int frame, DicomVoiWindow? window = null)
    {
        CheckFrame(frame);
        var pixels = PixelCount;
        var rgb = ArrayPool<byte>.Shared.Rent(pixels * 3);
        try
        {
            var span = rgb.AsSpan(0, pixels * 3);
            ReadRgbFrame(frame, span, window);
            if (IsMonochrome && SamplesPerPixel == 1)
            {
                // the grey triplets packed to one byte a pixel, front to back (each write lands at or before its read)
                for (var i = 0; i < pixels; i++)
                {
                    span[i] = span[i * 3];
                }

                return PngEncoder.Encode(span[..pixels], Columns, Rows, 1);
            }

            return PngEncoder.Encode(span, Columns, Rows, 3);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    private void CheckFrame(int frame)
    {
        if ((uint)frame >= (uint)FrameCount)
        {
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"{description} has {FrameCount} frame(s)");
        }
    }

    private static void CheckDestination(int length, int needed)
    {
        if (length < needed)
        {
            throw new ArgumentException($"the destination holds {length} values, a frame needs {needed}", "destination");
        }
    }
}
