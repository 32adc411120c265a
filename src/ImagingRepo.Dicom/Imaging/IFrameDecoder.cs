namespace ImagingRepo.Dicom.Imaging;

/// <summary>Decodes one compressed frame into native layout.</summary>
internal interface IFrameDecoder
{
    /// <summary>The photometric interpretation of the decoded samples (a JPEG decoder's colour transform may make YBR into RGB).</summary>
    string DecodedPhotometric(ImageAttributes image);

    /// <summary>
    /// Decodes a frame. The output buffer is sized from the image attributes, never from the codestream; a codestream
    /// that disagrees with the attributes (size, components, precision) or is corrupt raises <see cref="DicomPixelDataException"/>.
    /// </summary>
    FrameBuffer Decode(ReadOnlySpan<byte> compressed, ImageAttributes image, string where);
}
