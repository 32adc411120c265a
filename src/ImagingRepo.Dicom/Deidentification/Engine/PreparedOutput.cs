namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>A file read and de-identified in memory (the header; pixel data still in the source), not yet written.</summary>
/// <param name="SourcePath">The input.</param>
/// <param name="File">The de-identified file, its pixel data still read from the input.</param>
/// <param name="SourceLength">The input's length: what decides between rewriting in memory and streaming.</param>
/// <param name="Relative">The output's path relative to its root.</param>
/// <param name="Target">The output's full path.</param>
/// <param name="Risk">Why it goes to quarantine; null when it does not.</param>
/// <param name="PixelsCleaned">Whether a pixel mask blanks part of its pixels.</param>
/// <param name="Report">What the profile did to it.</param>
/// <param name="Subject">The de-identified Patient ID.</param>
/// <param name="OriginalStudy">The input's Study Instance UID, for the journal.</param>
/// <param name="Study">The de-identified Study Instance UID.</param>
/// <param name="Series">The de-identified Series Instance UID.</param>
/// <param name="NewSop">The de-identified SOP Instance UID.</param>
/// <param name="Claims">The batch's claims of output SOP Instance UIDs; null outside a batch.</param>
/// <param name="Index">The input's place in the batch.</param>
/// <param name="Diagnostics">What was made up for the input; null when nothing.</param>
internal sealed record PreparedOutput(
    string SourcePath,
    DicomFile File,
    long SourceLength,
    string Relative,
    string Target,
    string? Risk,
    bool PixelsCleaned,
    InstanceReport Report,
    string Subject,
    string? OriginalStudy,
    string? Study,
    string? Series,
    string NewSop,
    InstanceClaims? Claims,
    int Index,
    IReadOnlyList<string>? Diagnostics);
