namespace ImagingRepo.Dicom.Imaging;

/// <summary>The decoder for each encapsulated transfer syntax, or why there is none.</summary>
internal static class FrameDecoders
{
    public const string RleLossless = "1.2.840.10008.1.2.5";
    public const string EncapsulatedUncompressed = "1.2.840.10008.1.2.1.98";
    public const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    public const string JpegExtended = "1.2.840.10008.1.2.4.51";
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";
    public const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";
    public const string JpegLSLossless = "1.2.840.10008.1.2.4.80";
    public const string JpegLSNearLossless = "1.2.840.10008.1.2.4.81";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";
    public const string Jpeg2000 = "1.2.840.10008.1.2.4.91";
    public const string HtJpeg2000Lossless = "1.2.840.10008.1.2.4.201";
    public const string HtJpeg2000LosslessRpcl = "1.2.840.10008.1.2.4.202";
    public const string HtJpeg2000 = "1.2.840.10008.1.2.4.203";

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
            JpegBaseline or JpegExtended => JpegFrameDecoder.Lossy,
            JpegLossless or JpegLosslessSV1 => JpegFrameDecoder.Lossless,
            JpegLSLossless or JpegLSNearLossless => (IFrameDecoder?)CharLSFrameDecoder.Instance
                ?? throw new DicomUnsupportedTransferSyntaxException(syntax, SystemCodecLibrary.CharLS.Missing!),
            Jpeg2000Lossless or Jpeg2000 or HtJpeg2000Lossless or HtJpeg2000LosslessRpcl or HtJpeg2000 => (IFrameDecoder?)OpenJpegFrameDecoder.Instance
                ?? throw new DicomUnsupportedTransferSyntaxException(syntax, SystemCodecLibrary.OpenJpeg.Missing!),
            _ => throw new DicomUnsupportedTransferSyntaxException(syntax, "no decoder for this transfer syntax"),
        };
    }
}
