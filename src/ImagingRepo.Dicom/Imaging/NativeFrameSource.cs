namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Frames of native pixel data: each frame is a byte range of the value, read on its own (a lazily kept value reads only
/// that range from its source). Big-endian values are brought to little-endian per sample size.
/// </summary>
internal sealed class NativeFrameSource : IFrameSource
{
    private readonly DicomValueElement element;
    private readonly FrameLayout layout;
    private readonly long pixels;
    private readonly bool bigEndian;
    private readonly string description;

    public NativeFrameSource(DicomValueElement element, FrameLayout layout, long pixels, bool bigEndian, string description)
    {
        this.element = element;
        this.layout = layout;
        this.pixels = pixels;
        this.bigEndian = bigEndian;
        this.description = description;
    }

    public FrameBuffer ReadFrame(int frame)
    {
        long start;
        int bitOffset = 0;
        if (layout.BitsAllocated == 1)
        {
            var firstBit = frame * pixels * layout.SamplesPerPixel;
            start = firstBit / 8;
            bitOffset = (int)(firstBit % 8);
        }
        else
        {
            start = frame * layout.ByteLength(pixels);
        }

        var frameLayout = layout with { BitOffset = bitOffset };
        var length = frameLayout.ByteLength(pixels);
        if (start + length > element.Length)
        {
            throw new DicomPixelDataException(
                $"{description}: the pixel data holds {element.Length} bytes but frame {frame} needs bytes {start} to {start + length - 1}");
        }

        var bytesPerSample = Math.Max(layout.BitsAllocated / 8, 1);
        if (element.Reference is { } reference)
        {
            var buffer = FrameBuffer.Rent((int)length, frameLayout);
            reference.Source.ReadAll(reference.Offset + start, buffer.WritableSpan);
            if (reference.IsBigEndian || bigEndian)
            {
                // the source holds the numbers as the file wrote them: big-endian samples, or byte pairs of OW words for 8-bit data
                ByteSwap.InPlace(buffer.WritableSpan, bytesPerSample > 1 ? bytesPerSample : reference.SwapSize);
            }

            return buffer;
        }

        var memory = element.GetBytes().Slice((int)start, (int)length);
        var readerSwap = element.VR.ByteSwapSize();
        if (!bigEndian || bytesPerSample == 1 || bytesPerSample == readerSwap)
        {
            // already little-endian: the reader swapped by the VR's word size, which is the sample size here (or 8-bit data in OW words)
            return FrameBuffer.Borrow(memory, frameLayout);
        }

        var copy = FrameBuffer.Rent((int)length, frameLayout);
        memory.Span.CopyTo(copy.WritableSpan);
        ByteSwap.InPlace(copy.WritableSpan, readerSwap); // undo the reader's swap: the bytes as the file holds them
        ByteSwap.InPlace(copy.WritableSpan, bytesPerSample);
        return copy;
    }
}
