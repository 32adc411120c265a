using System.Runtime.CompilerServices;
using JpegLibrary;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// JPEG baseline (process 1), extended (processes 2 and 4, 12-bit) and lossless (processes 14, SV1 included) through
/// JpegLibrary. Components come out as coded, without a colour transform (as GDCM gives them): YBR stays YBR, with
/// subsampled chroma repeated to every pixel. The codestream's frame header is checked against the image attributes
/// before anything is allocated, its Huffman tables before JpegLibrary builds them (<see cref="JpegHuffmanTableCheck"/>).
/// </summary>
internal sealed class JpegFrameDecoder : IFrameDecoder
{
    /// <summary>For the lossy processes: samples are clamped to the precision's range.</summary>
    public static JpegFrameDecoder Lossy { get; } = new(lossless: false);

    /// <summary>For the lossless processes: samples are the precision's bits (16-bit ones arrive as negative shorts).</summary>
    public static JpegFrameDecoder Lossless { get; } = new(lossless: true);

    private readonly bool lossless;

    private JpegFrameDecoder(bool lossless) => this.lossless = lossless;

    public string DecodedPhotometric(ImageAttributes image) => image.Photometric == "YBR_FULL_422" ? "YBR_FULL" : image.Photometric;

    public FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where)
    {
        JpegHuffmanTableCheck.Check(compressed, where);
        var decoder = new JpegDecoder();
        // JpegLibrary reads from memory it keeps: a copy of the frame (compressed frames are small next to their pixels)
        decoder.SetInput(compressed.ToArray());
        decoder.Identify();
        if (decoder.Width != image.Columns || decoder.Height != image.Rows || decoder.NumberOfComponents != image.SamplesPerPixel)
        {
            throw new DicomPixelDataException(
                $"{where}: the JPEG frame is {decoder.Width}×{decoder.Height} with {decoder.NumberOfComponents} components, the image attributes say {image.Columns}×{image.Rows} with {image.SamplesPerPixel}");
        }

        if (decoder.Precision < 2 || decoder.Precision > 16 || decoder.Precision > image.BitsAllocated || image.BitsAllocated > 16)
        {
            throw new DicomPixelDataException($"{where}: a JPEG precision of {decoder.Precision} bits does not fit bits allocated {image.BitsAllocated}");
        }

        var layout = new FrameLayout(image.BitsAllocated, image.SamplesPerPixel, false, false, DecodedPhotometric(image));
        var output = FrameBuffer.Rent((int)layout.ByteLength(image.PixelCount), layout);
        try
        {
            output.WritableSpan.Clear();
            decoder.SetOutputWriter(new Writer(output.WritableMemory, image.Columns, image.Rows, image.SamplesPerPixel, image.BitsAllocated / 8, decoder.Precision, lossless));
            decoder.Decode();
            if (!lossless && image.BitsAllocated == 8)
            {
                SmoothSubsampledChroma(decoder, output.WritableSpan, image.Columns, image.Rows, image.SamplesPerPixel);
            }

            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Chroma sampled at half the horizontal rate (4:2:2), or half both ways (4:2:0), comes from the library with each
    /// value repeated. The reference decoder (libjpeg in GDCM) interpolates it instead (its "fancy upsampling": each
    /// output ¾ its own input and ¼ the nearer neighbour, per direction, edges repeated); the same is done here so lossy
    /// YBR frames agree with it.
    /// </summary>
    private static void SmoothSubsampledChroma(JpegDecoder decoder, Span<byte> frame, int width, int height, int components)
    {
        var maxHorizontal = decoder.GetMaximumHorizontalSampling();
        var maxVertical = decoder.GetMaximumVerticalSampling();
        for (var component = 0; component < components; component++)
        {
            var horizontal = decoder.GetHorizontalSampling(component) * 2 == maxHorizontal;
            var vertical = decoder.GetVerticalSampling(component) * 2 == maxVertical;
            if (!horizontal || !(vertical || decoder.GetVerticalSampling(component) == maxVertical))
            {
                continue;
            }

            var reducedWidth = (width + 1) / 2;
            var reducedHeight = vertical ? (height + 1) / 2 : height;
            if (reducedWidth < 2)
            {
                continue;
            }

            // the component at its own resolution: the top-left copy of each repeated value
            var plane = new int[reducedWidth * reducedHeight];
            for (var r = 0; r < reducedHeight; r++)
            {
                var row = (vertical ? 2 * r : r) * width;
                for (var k = 0; k < reducedWidth; k++)
                {
                    plane[(r * reducedWidth) + k] = frame[((row + (2 * k)) * components) + component];
                }
            }

            var sums = new int[reducedWidth];
            for (var r = 0; r < reducedHeight; r++)
            {
                for (var half = 0; half < (vertical ? 2 : 1); half++)
                {
                    var outRow = vertical ? (2 * r) + half : r;
                    if (outRow >= height)
                    {
                        break;
                    }

                    var neighbour = half == 0 ? Math.Max(r - 1, 0) : Math.Min(r + 1, reducedHeight - 1);
                    for (var k = 0; k < reducedWidth; k++)
                    {
                        // vertically: ¾ this row and ¼ the nearer one (a sum of four parts), or the row alone (scaled alike)
                        sums[k] = vertical ? (plane[(r * reducedWidth) + k] * 3) + plane[(neighbour * reducedWidth) + k] : plane[(r * reducedWidth) + k] * 4;
                    }

                    // libjpeg's rounding biases: 8 and 7 for 4:2:0, 1 and 2 (here ×4) for 4:2:2
                    var (leftBias, rightBias) = vertical ? (8, 7) : (4, 8);
                    var at = outRow * width;
                    for (var k = 0; k < reducedWidth; k++)
                    {
                        var three = sums[k] * 3;
                        var left = k == 0 ? ((sums[k] * 4) + 8) >> 4 : (three + sums[k - 1] + leftBias) >> 4;
                        var right = k == reducedWidth - 1 ? ((sums[k] * 4) + 7) >> 4 : (three + sums[k + 1] + rightBias) >> 4;
                        frame[((at + (2 * k)) * components) + component] = (byte)left;
                        if ((2 * k) + 1 < width)
                        {
                            frame[((at + (2 * k) + 1) * components) + component] = (byte)right;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Puts 8×8 blocks of one component into the interleaved frame, clipped to the image.</summary>
    private sealed class Writer(Memory<byte> output, int width, int height, int components, int bytesPerSample, int precision, bool lossless) : JpegBlockOutputWriter
    {
        private readonly int mask = (1 << precision) - 1;

        public override void WriteBlock(ref short blockRef, int componentIndex, int x, int y)
        {
            if ((uint)componentIndex >= (uint)components || x >= width || y >= height || x < 0 || y < 0)
            {
                return;
            }

            var span = output.Span;
            var columns = Math.Min(width - x, 8);
            var rows = Math.Min(height - y, 8);
            for (var row = 0; row < rows; row++)
            {
                var at = ((((y + row) * width) + x) * components) + componentIndex;
                for (var column = 0; column < columns; column++)
                {
                    // lossy samples may overshoot the range after the inverse DCT; lossless 16-bit ones arrive as negative shorts
                    var sample = Unsafe.Add(ref blockRef, (row * 8) + column);
                    var value = lossless ? sample & mask : Math.Clamp((int)sample, 0, mask);
                    var index = (at + (column * components)) * bytesPerSample;
                    span[index] = (byte)value;
                    if (bytesPerSample == 2)
                    {
                        span[index + 1] = (byte)(value >> 8);
                    }
                }
            }
        }
    }
}
