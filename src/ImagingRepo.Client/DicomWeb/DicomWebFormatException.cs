using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.DicomWeb;

/// <summary>
/// A DICOMweb server answered success with a body that is not what the standard defines (a multipart/related body that
/// is cut off or has no boundary, a part that is not a DICOM Part 10 file, DICOM JSON that is not an array of datasets).
/// Retrying will not help; report the server.
/// </summary>
public sealed class DicomWebFormatException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public DicomWebFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong, and in the answer to which request.</param>
    public DicomWebFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was wrong, and in the answer to which request.</param>
    /// <param name="innerException">The cause.</param>
    public DicomWebFormatException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
