namespace ImagingRepo.Dicom.Imaging;

/// <summary>The decoder for each encapsulated transfer syntax, or why there is none.</summary>
internal static class FrameDecoders
{
    public const string RleLossless = "1.2.840.10008.1.2.5";
    public const string EncapsulatedUncompressed = "1.2.840.10008.1.2.1.98";

    /// <summary>True for the syntaxes this machine decodes (managed decoders always; CharLS and OpenJPEG ones when their libraries load).</summary>
    public static bool IsClaimed(DicomTransferSyntax syntax)
    {
        try
        {
            Find(syntax);
            return true;
        }
        catch (DicomUnsupportedTransferSyntaxException)
        {
            return false;
        }
    }

    public static IFrameDecoder Find(DicomTransferSyntax syntax)
    {
        return syntax.Uid switch
        {
            RleLossless => RleFrameDecoder.Instance,
            EncapsulatedUncompressed => EncapsulatedUncompressedDecoder.Instance,
            _ => throw new DicomUnsupportedTransferSyntaxException(syntax, "no decoder for this transfer syntax"),
        };
    }
}
