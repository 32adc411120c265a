using ImagingRepo.Client.Storage;
using ImagingRepo.Dicom.Deidentification.Engine;

namespace ImagingRepo.Client.Upload;

/// <summary>What a <see cref="DeidentifyingUploader"/> run did, per stage.</summary>
/// <param name="Deidentified">Files de-identified.</param>
/// <param name="Quarantined">Files set aside by the policy (e.g. burned-in annotation), not uploaded.</param>
/// <param name="Ignored">Inputs that are not DICOM (or a DICOMDIR), not uploaded.</param>
/// <param name="DeidentificationFailures">Files that could not be de-identified, with the reason.</param>
/// <param name="Uploads">Every de-identified output's upload (key, outcome, SHA-256, reason).</param>
public sealed record DeidentifyingUploadReport(
    int Deidentified, int Quarantined, int Ignored, IReadOnlyList<DeidentificationResult> DeidentificationFailures, IReadOnlyList<FolderUploadItem> Uploads)
{
    /// <summary>Outputs sent to the lake.</summary>
    public int Uploaded => Uploads.Count(u => u.Outcome == FolderUploadOutcome.Uploaded);

    /// <summary>Outputs found stored already (a resumed run).</summary>
    public int AlreadyStored => Uploads.Count(u => u.Outcome == FolderUploadOutcome.AlreadyStored);

    /// <summary>Outputs that could not be stored.</summary>
    public IReadOnlyList<FolderUploadItem> UploadFailures => [.. Uploads.Where(u => u.Outcome == FolderUploadOutcome.Failed)];

    /// <summary>True when every file was de-identified (or quarantined, or ignored) and every output stored.</summary>
    public bool Succeeded => DeidentificationFailures.Count == 0 && UploadFailures.Count == 0;
}

/// <summary>Progress, reported after each batch is stored.</summary>
/// <param name="FilesDone">Input files whose batch is finished.</param>
/// <param name="FilesTotal">Input files in all.</param>
/// <param name="BytesUploaded">Bytes sent so far.</param>
public sealed record DeidentifyingUploadProgress(int FilesDone, int FilesTotal, long BytesUploaded);
