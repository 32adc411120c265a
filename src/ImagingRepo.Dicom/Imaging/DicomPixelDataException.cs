namespace ImagingRepo.Dicom.Imaging;

/// <summary>Pixel data that cannot be turned into frames: missing or inconsistent image attributes, a frame that does not decode, a frame index out of range.</summary>
public class DicomPixelDataException : DicomException
{
    /// <summary>Creates an exception.</summary>
    public DicomPixelDataException()
        : base("the pixel data cannot be read")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and where.</param>
    public DicomPixelDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public DicomPixelDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Encapsulated pixel data in a transfer syntax that no decoder on this machine can decode.</summary>
public sealed class DicomUnsupportedTransferSyntaxException : DicomPixelDataException
{
    /// <summary>Creates an exception for a transfer syntax.</summary>
    /// <param name="transferSyntax">The transfer syntax of the pixel data.</param>
    /// <param name="reason">Why it cannot be decoded (no decoder, a system library missing, ...).</param>
    public DicomUnsupportedTransferSyntaxException(DicomTransferSyntax transferSyntax, string reason)
        : base($"pixel data in {transferSyntax} cannot be decoded: {reason}")
    {
        TransferSyntax = transferSyntax;
        Reason = reason;
    }

    /// <summary>Creates an exception.</summary>
    public DicomUnsupportedTransferSyntaxException()
        : this("the transfer syntax of the pixel data is not supported")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DicomUnsupportedTransferSyntaxException(string message)
        : base(message)
    {
        Reason = message;
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DicomUnsupportedTransferSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>The transfer syntax that cannot be decoded, when known.</summary>
    public DicomTransferSyntax? TransferSyntax { get; }

    /// <summary>Why it cannot be decoded.</summary>
    public string Reason { get; }
}
