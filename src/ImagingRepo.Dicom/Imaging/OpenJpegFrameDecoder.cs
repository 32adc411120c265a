using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// JPEG 2000 (Part 1 and HTJ2K) through the system's OpenJPEG (its C API, bound at run time). The codestream is read
/// from memory through stream callbacks; its size and tiling are checked against the image attributes before OpenJPEG
/// reads the header (<see cref="Jpeg2000SizeCheck"/>), and its components before the decode allocates.
/// OpenJPEG undoes the reversible and irreversible colour transforms, so YBR_RCT and YBR_ICT decode as RGB.
/// </summary>
internal sealed unsafe class OpenJpegFrameDecoder : IFrameDecoder
{
    private const int CodecJ2K = 0;
    private const int CodecJP2 = 2;
    private const int ParametersSize = 1 << 16; // larger than opj_dparameters_t in every 2.x release

    private readonly delegate* unmanaged<nuint, int, nint> streamCreate;
    private readonly delegate* unmanaged<nint, void> streamDestroy;
    private readonly delegate* unmanaged<nint, delegate* unmanaged<byte*, nuint, MemorySource*, nuint>, void> setRead;
    private readonly delegate* unmanaged<nint, delegate* unmanaged<long, MemorySource*, long>, void> setSkip;
    private readonly delegate* unmanaged<nint, delegate* unmanaged<long, MemorySource*, int>, void> setSeek;
    private readonly delegate* unmanaged<nint, MemorySource*, nint, void> setUserData;
    private readonly delegate* unmanaged<nint, ulong, void> setUserDataLength;
    private readonly delegate* unmanaged<int, nint> createDecompress;
    private readonly delegate* unmanaged<nint, void> destroyCodec;
    private readonly delegate* unmanaged<byte*, void> setDefaultParameters;
    private readonly delegate* unmanaged<nint, byte*, int> setupDecoder;
    private readonly delegate* unmanaged<nint, nint, Image**, int> readHeader;
    private readonly delegate* unmanaged<nint, nint, Image*, int> decode;
    private readonly delegate* unmanaged<nint, nint, int> endDecompress;
    private readonly delegate* unmanaged<Image*, void> imageDestroy;

    private OpenJpegFrameDecoder(SystemCodecLibrary library)
    {
        streamCreate = (delegate* unmanaged<nuint, int, nint>)library.Export("opj_stream_create");
        streamDestroy = (delegate* unmanaged<nint, void>)library.Export("opj_stream_destroy");
        setRead = (delegate* unmanaged<nint, delegate* unmanaged<byte*, nuint, MemorySource*, nuint>, void>)library.Export("opj_stream_set_read_function");
        setSkip = (delegate* unmanaged<nint, delegate* unmanaged<long, MemorySource*, long>, void>)library.Export("opj_stream_set_skip_function");
        setSeek = (delegate* unmanaged<nint, delegate* unmanaged<long, MemorySource*, int>, void>)library.Export("opj_stream_set_seek_function");
        setUserData = (delegate* unmanaged<nint, MemorySource*, nint, void>)library.Export("opj_stream_set_user_data");
        setUserDataLength = (delegate* unmanaged<nint, ulong, void>)library.Export("opj_stream_set_user_data_length");
        createDecompress = (delegate* unmanaged<int, nint>)library.Export("opj_create_decompress");
        destroyCodec = (delegate* unmanaged<nint, void>)library.Export("opj_destroy_codec");
        setDefaultParameters = (delegate* unmanaged<byte*, void>)library.Export("opj_set_default_decoder_parameters");
        setupDecoder = (delegate* unmanaged<nint, byte*, int>)library.Export("opj_setup_decoder");
        readHeader = (delegate* unmanaged<nint, nint, Image**, int>)library.Export("opj_read_header");
        decode = (delegate* unmanaged<nint, nint, Image*, int>)library.Export("opj_decode");
        endDecompress = (delegate* unmanaged<nint, nint, int>)library.Export("opj_end_decompress");
        imageDestroy = (delegate* unmanaged<Image*, void>)library.Export("opj_image_destroy");
    }

    private static readonly Lazy<OpenJpegFrameDecoder?> instance = new(() => SystemCodecLibrary.OpenJpeg.IsAvailable ? new OpenJpegFrameDecoder(SystemCodecLibrary.OpenJpeg) : null);

    /// <summary>The decoder, or null when OpenJPEG is not installed.</summary>
    public static OpenJpegFrameDecoder? Instance => instance.Value;

    public string DecodedPhotometric(ImageAttributes image) => image.Photometric is "YBR_RCT" or "YBR_ICT" ? "RGB" : image.Photometric;

    public FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where)
    {
        var isJp2 = compressed.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(compressed) == 12 && BinaryPrimitives.ReadUInt32BigEndian(compressed[4..]) == 0x6A502020;
        Jpeg2000SizeCheck.Check(compressed, isJp2, image, where);
        var parameters = (byte*)NativeMemory.AllocZeroed(ParametersSize);
        nint codec = 0;
        nint stream = 0;
        Image* decoded = null;
        try
        {
            fixed (byte* data = compressed)
            {
                var source = new MemorySource { Data = data, Length = compressed.Length };
                stream = streamCreate(1 << 16, 1);
                codec = createDecompress(isJp2 ? CodecJP2 : CodecJ2K);
                if (stream == 0 || codec == 0)
                {
                    throw new DicomPixelDataException($"{where}: OpenJPEG could not create a decoder");
                }

                setRead(stream, &Read);
                setSkip(stream, &Skip);
                setSeek(stream, &Seek);
                setUserData(stream, &source, 0);
                setUserDataLength(stream, (ulong)compressed.Length);
                setDefaultParameters(parameters);
                if (setupDecoder(codec, parameters) == 0 || readHeader(stream, codec, &decoded) == 0 || decoded is null)
                {
                    throw new DicomPixelDataException($"{where}: OpenJPEG cannot read the JPEG 2000 header");
                }

                var precision = CheckHeader(decoded, image, where);
                if (decode(codec, stream, decoded) == 0 || endDecompress(codec, stream) == 0)
                {
                    throw new DicomPixelDataException($"{where}: OpenJPEG cannot decode the JPEG 2000 codestream");
                }

                return Interleave(decoded, image, precision, where);
            }
        }
        finally
        {
            if (decoded is not null)
            {
                imageDestroy(decoded);
            }

            if (stream != 0)
            {
                streamDestroy(stream);
            }

            if (codec != 0)
            {
                destroyCodec(codec);
            }

            NativeMemory.Free(parameters);
        }
    }

    /// <summary>Checks size, components and precision before the decode allocates; returns the precision.</summary>
    private static int CheckHeader(Image* header, ImageAttributes image, string where)
    {
        var width = (long)header->X1 - header->X0;
        var height = (long)header->Y1 - header->Y0;
        if (width != image.Columns || height != image.Rows || header->NumberOfComponents != (uint)image.SamplesPerPixel || header->Components is null)
        {
            throw new DicomPixelDataException(
                $"{where}: the JPEG 2000 image is {width}×{height} with {header->NumberOfComponents} components, the image attributes say {image.Columns}×{image.Rows} with {image.SamplesPerPixel}");
        }

        var precision = (int)header->Components[0].Precision;
        for (var c = 0; c < image.SamplesPerPixel; c++)
        {
            ref var component = ref header->Components[c];
            if (component.Dx != 1 || component.Dy != 1 || component.Precision != precision)
            {
                throw new DicomPixelDataException($"{where}: JPEG 2000 component {c} is subsampled or of another precision; not supported");
            }
        }

        if (precision < 1 || precision > image.BitsAllocated || image.BitsAllocated > 16)
        {
            throw new DicomPixelDataException($"{where}: a JPEG 2000 precision of {precision} bits does not fit bits allocated {image.BitsAllocated}");
        }

        return precision;
    }

    /// <summary>The decoded components (one int per sample each) into an interleaved native frame.</summary>
    private FrameBuffer Interleave(Image* decoded, ImageAttributes image, int precision, string where)
    {
        var pixels = (int)image.PixelCount;
        var samples = image.SamplesPerPixel;
        var bytesPerSample = image.BitsAllocated / 8;
        // where the codestream holds more bits than Bits Stored says (a known encoder fault), its own precision is what the values mean
        var layout = new FrameLayout(image.BitsAllocated, samples, false, false, DecodedPhotometric(image))
        {
            Precision = precision > image.BitsStored ? precision : 0,
            PrecisionSigned = decoded->Components[0].Signed != 0,
        };
        var output = FrameBuffer.Rent(pixels * samples * bytesPerSample, layout);
        var target = output.WritableSpan;
        for (var c = 0; c < samples; c++)
        {
            ref var component = ref decoded->Components[c];
            if (component.Data is null || component.Width != (uint)image.Columns || component.Height != (uint)image.Rows)
            {
                output.Dispose();
                throw new DicomPixelDataException($"{where}: OpenJPEG decoded component {c} only in part");
            }

            var data = new ReadOnlySpan<int>(component.Data, pixels);
            for (var i = 0; i < pixels; i++)
            {
                var at = ((i * samples) + c) * bytesPerSample;
                var value = data[i];
                target[at] = (byte)value;
                if (bytesPerSample == 2)
                {
                    target[at + 1] = (byte)(value >> 8);
                }
            }
        }

        return output;
    }

    [UnmanagedCallersOnly]
    private static nuint Read(byte* buffer, nuint count, MemorySource* source)
    {
        var left = source->Length - source->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1)); // end of stream
        }

        var n = (int)Math.Min((long)count, left);
        new ReadOnlySpan<byte>(source->Data + source->Position, n).CopyTo(new Span<byte>(buffer, n));
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, MemorySource* source)
    {
        var target = Math.Clamp(source->Position + count, 0, source->Length);
        var skipped = target - source->Position;
        source->Position = target;
        return skipped;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long position, MemorySource* source)
    {
        if (position < 0 || position > source->Length)
        {
            return 0;
        }

        source->Position = position;
        return 1;
    }

    /// <summary>The compressed frame OpenJPEG reads through the callbacks.</summary>
    private struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    /// <summary>opj_image_t (the fields read here, in their C layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Image
    {
        public uint X0;
        public uint Y0;
        public uint X1;
        public uint Y1;
        public uint NumberOfComponents;
        public int ColorSpace;
        public Component* Components;
    }

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Component
    {
        public uint Dx;
        public uint Dy;
        public uint Width;
        public uint Height;
        public uint X0;
        public uint Y0;
        public uint Precision;
        public uint Bpp;
        public uint Signed;
        public uint ResolutionsDecoded;
        public uint Factor;
        public int* Data;
        public ushort Alpha;
    }
}
