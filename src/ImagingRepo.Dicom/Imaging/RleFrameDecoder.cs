using System.Buffers.Binary;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// RLE Lossless (PS3.5 Annex G): a 64-byte header of up to 15 segment offsets, then one PackBits segment per byte plane,
/// most significant byte first, sample by sample. Decodes to little-endian samples by planes.
/// </summary>
internal sealed class RleFrameDecoder : IFrameDecoder
{
    public static RleFrameDecoder Instance { get; } = new();

    public string DecodedPhotometric(ImageAttributes image) => image.Photometric;

    public FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where)
    {
        if (image.BitsAllocated == 1)
        {
            throw new DicomPixelDataException($"{where}: RLE of 1-bit pixel data is not supported");
        }

        var bytesPerSample = image.BitsAllocated / 8;
        var expectedSegments = image.SamplesPerPixel * bytesPerSample;
        if (compressed.Length < 64)
        {
            throw new DicomPixelDataException($"{where}: an RLE frame of {compressed.Length} bytes is shorter than its 64-byte header");
        }

        var segments = BinaryPrimitives.ReadUInt32LittleEndian(compressed);
        if (segments != expectedSegments)
        {
            throw new DicomPixelDataException($"{where}: the RLE header lists {segments} segments, the image attributes need {expectedSegments}");
        }

        var pixels = (int)image.PixelCount;
        var layout = new FrameLayout(image.BitsAllocated, image.SamplesPerPixel, image.SamplesPerPixel > 1, false, image.Photometric);
        var output = FrameBuffer.Rent(pixels * expectedSegments, layout);
        try
        {
            var target = output.WritableSpan;
            for (var segment = 0; segment < expectedSegments; segment++)
            {
                var start = BinaryPrimitives.ReadUInt32LittleEndian(compressed[(4 + (segment * 4))..]);
                var end = segment + 1 < expectedSegments ? BinaryPrimitives.ReadUInt32LittleEndian(compressed[(8 + (segment * 4))..]) : (uint)compressed.Length;
                if (start < 64 || start > end || end > compressed.Length)
                {
                    throw new DicomPixelDataException($"{where}: RLE segment {segment} lies at bytes {start} to {end} of a {compressed.Length}-byte frame");
                }

                var sample = segment / bytesPerSample;
                var significance = bytesPerSample - 1 - (segment % bytesPerSample); // first segment: most significant byte
                var decoded = UnpackBits(compressed[(int)start..(int)end], target, (sample * pixels * bytesPerSample) + significance, bytesPerSample, pixels);
                if (decoded < pixels)
                {
                    throw new DicomPixelDataException($"{where}: RLE segment {segment} decodes to {decoded} bytes, {pixels} are needed");
                }
            }

            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>PackBits into every <paramref name="stride"/>-th byte from <paramref name="offset"/>; stops when <paramref name="count"/> bytes are out; returns how many came out.</summary>
    private static int UnpackBits(ReadOnlySpan<byte> source, Span<byte> target, int offset, int stride, int count)
    {
        var produced = 0;
        var at = 0;
        while (at < source.Length && produced < count)
        {
            var header = (sbyte)source[at++];
            if (header >= 0)
            {
                var run = Math.Min(header + 1, Math.Min(source.Length - at, count - produced));
                for (var i = 0; i < run; i++)
                {
                    target[offset + ((produced + i) * stride)] = source[at + i];
                }

                at += header + 1;
                produced += run;
            }
            else if (header != -128)
            {
                if (at >= source.Length)
                {
                    break;
                }

                var value = source[at++];
                var run = Math.Min(1 - header, count - produced);
                for (var i = 0; i < run; i++)
                {
                    target[offset + ((produced + i) * stride)] = value;
                }

                produced += run;
            }
        }

        return produced;
    }
}
