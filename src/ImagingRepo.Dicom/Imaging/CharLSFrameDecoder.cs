namespace ImagingRepo.Dicom.Imaging;

/// <summary>JPEG-LS lossless and near-lossless through the system's CharLS (its C API, bound at run time).</summary>
internal sealed unsafe class CharLSFrameDecoder : IFrameDecoder
{
    private readonly delegate* unmanaged<nint> create;
    private readonly delegate* unmanaged<nint, void> destroy;
    private readonly delegate* unmanaged<nint, byte*, nuint, int> setSource;
    private readonly delegate* unmanaged<nint, int> readHeader;
    private readonly delegate* unmanaged<nint, FrameInfo*, int> getFrameInfo;
    private readonly delegate* unmanaged<nint, int*, int> getInterleaveMode;
    private readonly delegate* unmanaged<nint, uint, nuint*, int> getDestinationSize;
    private readonly delegate* unmanaged<nint, byte*, nuint, uint, int> decodeToBuffer;
    private readonly delegate* unmanaged<int, byte*> errorMessage;

    private CharLSFrameDecoder(SystemCodecLibrary library)
    {
        create = (delegate* unmanaged<nint>)library.Export("charls_jpegls_decoder_create");
        destroy = (delegate* unmanaged<nint, void>)library.Export("charls_jpegls_decoder_destroy");
        setSource = (delegate* unmanaged<nint, byte*, nuint, int>)library.Export("charls_jpegls_decoder_set_source_buffer");
        readHeader = (delegate* unmanaged<nint, int>)library.Export("charls_jpegls_decoder_read_header");
        getFrameInfo = (delegate* unmanaged<nint, FrameInfo*, int>)library.Export("charls_jpegls_decoder_get_frame_info");
        getInterleaveMode = (delegate* unmanaged<nint, int*, int>)library.Export("charls_jpegls_decoder_get_interleave_mode");
        getDestinationSize = (delegate* unmanaged<nint, uint, nuint*, int>)library.Export("charls_jpegls_decoder_get_destination_size");
        decodeToBuffer = (delegate* unmanaged<nint, byte*, nuint, uint, int>)library.Export("charls_jpegls_decoder_decode_to_buffer");
        errorMessage = (delegate* unmanaged<int, byte*>)library.Export("charls_get_error_message");
    }

    private static readonly Lazy<CharLSFrameDecoder?> instance = new(() => SystemCodecLibrary.CharLS.IsAvailable ? new CharLSFrameDecoder(SystemCodecLibrary.CharLS) : null);

    /// <summary>The decoder, or null when CharLS is not installed.</summary>
    public static CharLSFrameDecoder? Instance => instance.Value;

    public string DecodedPhotometric(ImageAttributes image) => image.Photometric;

    public FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where)
    {
        compressed = EndingAtEndOfImage(compressed, where);
        var decoder = create();
        if (decoder == 0)
        {
            throw new DicomPixelDataException($"{where}: CharLS could not create a decoder");
        }

        try
        {
            fixed (byte* source = compressed)
            {
                Check(setSource(decoder, source, (nuint)compressed.Length), "reading the codestream", where);
                Check(readHeader(decoder), "reading the header", where);
                FrameInfo info;
                Check(getFrameInfo(decoder, &info), "reading the frame information", where);
                int interleave;
                Check(getInterleaveMode(decoder, &interleave), "reading the interleave mode", where);
                if (info.Width != image.Columns || info.Height != image.Rows || info.ComponentCount != image.SamplesPerPixel)
                {
                    throw new DicomPixelDataException(
                        $"{where}: the JPEG-LS frame is {info.Width}×{info.Height} with {info.ComponentCount} components, the image attributes say {image.Columns}×{image.Rows} with {image.SamplesPerPixel}");
                }

                if (info.BitsPerSample < 2 || info.BitsPerSample > 16 || info.BitsPerSample > image.BitsAllocated || image.BitsAllocated > 16)
                {
                    throw new DicomPixelDataException($"{where}: a JPEG-LS precision of {info.BitsPerSample} bits does not fit bits allocated {image.BitsAllocated}");
                }

                // CharLS writes one byte per sample up to 8 bits, two beyond: the same as native data of bits allocated 8 or 16
                var expected = (nuint)image.NativeFrameLength;
                nuint size;
                Check(getDestinationSize(decoder, 0, &size), "sizing the output", where);
                if (size != expected || (info.BitsPerSample <= 8) != (image.BitsAllocated == 8))
                {
                    throw new DicomPixelDataException($"{where}: the JPEG-LS frame decodes to {size} bytes, the image attributes need {expected}");
                }

                var layout = new FrameLayout(image.BitsAllocated, image.SamplesPerPixel, interleave == 0 && image.SamplesPerPixel > 1, false, DecodedPhotometric(image));
                var output = FrameBuffer.Rent((int)expected, layout);
                try
                {
                    fixed (byte* target = output.WritableSpan)
                    {
                        Check(decodeToBuffer(decoder, target, expected, 0), "decoding", where);
                    }

                    return output;
                }
                catch
                {
                    output.Dispose();
                    throw;
                }
            }
        }
        finally
        {
            destroy(decoder);
        }
    }

    /// <summary>
    /// The codestream up to its End of Image marker, without the padding after it (0x00 or 0xFF to an even length).
    /// A JPEG-LS frame must end with EOI; one cut short is refused here, before CharLS sees it, because CharLS 2.4
    /// (Debian 12's) reading corrupt scan data up to the very end of its buffer can spin for many seconds on a 64×64
    /// frame, where it fails at once when the marker is there. Found by the decoder fuzz test.
    /// </summary>
    private static ReadOnlySpan<byte> EndingAtEndOfImage(ReadOnlySpan<byte> compressed, string where)
    {
        var end = compressed.Length;
        while (end > 0 && compressed[end - 1] is 0x00 or 0xFF && compressed.Length - end < 8)
        {
            end--;
        }

        if (end < 4 || compressed[end - 2] != 0xFF || compressed[end - 1] != 0xD9)
        {
            throw new DicomPixelDataException($"{where}: the JPEG-LS codestream does not end with an End of Image marker (FFD9): it is cut short or corrupt");
        }

        return compressed[..end];
    }

    private void Check(int error, string step, string where)
    {
        if (error != 0)
        {
            var message = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)errorMessage(error));
            throw new DicomPixelDataException($"{where}: CharLS failed {step}: {message} (error {error})");
        }
    }

    /// <summary>charls_frame_info.</summary>
    private struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }
}
