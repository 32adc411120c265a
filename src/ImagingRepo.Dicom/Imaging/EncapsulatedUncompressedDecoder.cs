namespace ImagingRepo.Dicom.Imaging;

/// <summary>Encapsulated Uncompressed Explicit VR Little Endian (1.2.840.10008.1.2.1.98): each frame is native pixel data in its own fragments.</summary>
internal sealed class EncapsulatedUncompressedDecoder : IFrameDecoder
{
    public static EncapsulatedUncompressedDecoder Instance { get; } = new();

    public string DecodedPhotometric(ImageAttributes image) =>
        image.Photometric == "YBR_FULL_422" && image.SamplesPerPixel == 3 ? "YBR_FULL" : image.Photometric;

    public FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where)
    {
        var length = image.NativeFrameLength;
        if (compressed.Length < length)
        {
            throw new DicomPixelDataException($"{where}: the frame holds {compressed.Length} bytes, {length} are needed");
        }

        var output = FrameBuffer.Rent((int)length, image.NativeLayout);
        compressed[..(int)length].CopyTo(output.WritableSpan);
        return output;
    }
}
