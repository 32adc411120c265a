using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Reads the samples of a frame in any <see cref="FrameLayout"/> into pixel-interleaved stored values (R G B R G B…;
/// YBR_FULL_422 widened to one Cb and Cr per pixel). The loops are generic over the sink so each output type gets its
/// own compiled loop.
/// </summary>
internal static class SampleReader
{
    /// <summary>Stored values as 32-bit integers (32-bit unsigned values above <see cref="int.MaxValue"/> raise an error).</summary>
    public static void ReadStored(FrameBuffer frame, StoredValueFormat format, long pixels, Span<int> destination)
    {
        format = frame.Layout.Format(format);
        if (TryReadCommon(frame, format, pixels, destination))
        {
            return;
        }

        var sink = new Int32Sink(destination);
        Read(frame, format, pixels, ref sink);
        if (sink.Overflowed)
        {
            throw new DicomPixelDataException("a 32-bit unsigned stored value exceeds the range of Int32; read modality values instead");
        }
    }

    /// <summary>Stored values as 64-bit integers (every bit depth fits).</summary>
    public static void ReadStored(FrameBuffer frame, StoredValueFormat format, long pixels, Span<long> destination)
    {
        format = frame.Layout.Format(format);
        var sink = new Int64Sink(destination);
        Read(frame, format, pixels, ref sink);
    }

    /// <summary>Stored values mapped by <c>value × slope + intercept</c>.</summary>
    public static void ReadRescaled(FrameBuffer frame, StoredValueFormat format, long pixels, float slope, float intercept, Span<float> destination)
    {
        format = frame.Layout.Format(format);
        var layout = frame.Layout;
        var bytes = frame.Span;
        var simple = !layout.IsPlanar && !layout.IsSubsampled422 && layout.BitOffset == 0;
        if (simple && layout.BitsAllocated == 16 && format.BitsStored == 16)
        {
            var count = (int)(pixels * layout.SamplesPerPixel);
            if (format.IsSigned)
            {
                Widen(MemoryMarshal.Cast<byte, short>(bytes)[..count], destination[..count], slope, intercept);
            }
            else
            {
                Widen(MemoryMarshal.Cast<byte, ushort>(bytes)[..count], destination[..count], slope, intercept);
            }

            return;
        }

        if (simple && layout.BitsAllocated == 8 && format.BitsStored == 8 && !format.IsSigned)
        {
            var count = (int)(pixels * layout.SamplesPerPixel);
            var source = bytes[..count];
            for (var i = 0; i < count; i++)
            {
                destination[i] = (source[i] * slope) + intercept;
            }

            return;
        }

        var sink = new RescaleSink(destination, slope, intercept);
        Read(frame, format, pixels, ref sink);
    }

    private static void Widen(ReadOnlySpan<short> source, Span<float> destination, float slope, float intercept)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<short>.Count)
        {
            var vslope = new Vector<float>(slope);
            var vintercept = new Vector<float>(intercept);
            var lanes = Vector<short>.Count;
            var quarter = Vector<float>.Count;
            for (; i <= source.Length - lanes; i += lanes)
            {
                Vector.Widen(new Vector<short>(source[i..]), out var low, out var high);
                (Vector.ConvertToSingle(low) * vslope + vintercept).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(high) * vslope + vintercept).CopyTo(destination[(i + quarter)..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (source[i] * slope) + intercept;
        }
    }

    private static void Widen(ReadOnlySpan<ushort> source, Span<float> destination, float slope, float intercept)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && source.Length >= Vector<ushort>.Count)
        {
            var vslope = new Vector<float>(slope);
            var vintercept = new Vector<float>(intercept);
            var lanes = Vector<ushort>.Count;
            var quarter = Vector<float>.Count;
            for (; i <= source.Length - lanes; i += lanes)
            {
                Vector.Widen(new Vector<ushort>(source[i..]), out var low, out var high);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(low)) * vslope + vintercept).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(Vector.AsVectorInt32(high)) * vslope + vintercept).CopyTo(destination[(i + quarter)..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (source[i] * slope) + intercept;
        }
    }

    private static bool TryReadCommon(FrameBuffer frame, StoredValueFormat format, long pixels, Span<int> destination)
    {
        var layout = frame.Layout;
        if (layout.IsPlanar || layout.IsSubsampled422 || layout.BitOffset != 0)
        {
            return false;
        }

        var count = (int)(pixels * layout.SamplesPerPixel);
        switch (layout.BitsAllocated)
        {
            case 16 when format.BitsStored == 16 && format.IsSigned:
                var shorts = MemoryMarshal.Cast<byte, short>(frame.Span)[..count];
                for (var i = 0; i < shorts.Length; i++)
                {
                    destination[i] = shorts[i];
                }

                return true;
            case 16 when format.BitsStored == 16:
                var words = MemoryMarshal.Cast<byte, ushort>(frame.Span)[..count];
                for (var i = 0; i < words.Length; i++)
                {
                    destination[i] = words[i];
                }

                return true;
            case 8 when format.BitsStored == 8 && !format.IsSigned:
                var bytes = frame.Span[..count];
                for (var i = 0; i < bytes.Length; i++)
                {
                    destination[i] = bytes[i];
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>The general loop: any bit depth, planar or interleaved, 1-bit, YBR_FULL_422.</summary>
    private static void Read<TSink>(FrameBuffer frame, StoredValueFormat format, long pixels, ref TSink sink)
        where TSink : struct, ISampleSink, allows ref struct
    {
        var layout = frame.Layout;
        var bytes = frame.Span;
        var samples = layout.SamplesPerPixel;
        var count = (int)(pixels * samples);
        if (layout.BitsAllocated == 1)
        {
            for (var i = 0; i < count; i++)
            {
                var bit = layout.BitOffset + i;
                sink.Put(MapPlanar(i, layout, (int)pixels), format.ConvertWide((uint)(bytes[bit >> 3] >> (bit & 7)) & 1u));
            }

            return;
        }

        var size = layout.BitsAllocated / 8;
        if (layout.IsSubsampled422)
        {
            // two pixels as Y1 Y2 Cb Cr: each pixel gets its own Y and the pair's Cb and Cr
            for (var pair = 0; pair < pixels / 2; pair++)
            {
                var at = pair * 4 * size;
                var y1 = format.ConvertWide(Raw(bytes, at, size));
                var y2 = format.ConvertWide(Raw(bytes, at + size, size));
                var cb = format.ConvertWide(Raw(bytes, at + (2 * size), size));
                var cr = format.ConvertWide(Raw(bytes, at + (3 * size), size));
                var o = pair * 6;
                sink.Put(o, y1);
                sink.Put(o + 1, cb);
                sink.Put(o + 2, cr);
                sink.Put(o + 3, y2);
                sink.Put(o + 4, cb);
                sink.Put(o + 5, cr);
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            sink.Put(MapPlanar(i, layout, (int)pixels), format.ConvertWide(Raw(bytes, i * size, size)));
        }
    }

    /// <summary>The interleaved index of the i-th sample in storage order.</summary>
    private static int MapPlanar(int i, FrameLayout layout, int pixels)
    {
        if (!layout.IsPlanar || layout.SamplesPerPixel == 1)
        {
            return i;
        }

        var plane = i / pixels;
        return ((i - (plane * pixels)) * layout.SamplesPerPixel) + plane;
    }

    private static uint Raw(ReadOnlySpan<byte> bytes, int at, int size) => size switch
    {
        1 => bytes[at],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(bytes[at..]),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(bytes[at..]),
    };

    private interface ISampleSink
    {
        void Put(int index, long value);
    }

    private ref struct Int32Sink(Span<int> destination) : ISampleSink
    {
        private readonly Span<int> destination = destination;

        public bool Overflowed { get; private set; }

        public void Put(int index, long value)
        {
            if (value > int.MaxValue)
            {
                Overflowed = true;
            }

            destination[index] = (int)value;
        }
    }

    private readonly ref struct Int64Sink(Span<long> destination) : ISampleSink
    {
        private readonly Span<long> destination = destination;

        public void Put(int index, long value) => destination[index] = value;
    }

    private readonly ref struct RescaleSink(Span<float> destination, float slope, float intercept) : ISampleSink
    {
        private readonly Span<float> destination = destination;

        public void Put(int index, long value) => destination[index] = (value * slope) + intercept;
    }
}
