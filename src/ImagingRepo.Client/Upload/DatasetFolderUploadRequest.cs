using ImagingRepo.Client.Datasets;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Client.Upload;

/// <summary>What a <see cref="DatasetUploader"/> run turns into a dataset when the studies are DICOM files in a folder (an export, a CD) rather than in a PACS.</summary>
public sealed record DatasetFolderUploadRequest
{
    /// <summary>
    /// The folder, searched recursively (hidden files and folders left out). Its files are grouped into studies by their
    /// Study Instance UID, whatever the folders they are in; files that are not DICOM are reported and left out.
    /// </summary>
    public required string Folder { get; init; }

    /// <summary>
    /// The dataset's metadata (name, version, project, description, types, …); its <see cref="DatasetCreationRequest.Studies"/>
    /// and <see cref="DatasetCreationRequest.Subjects"/> are filled in from what was uploaded.
    /// </summary>
    public required DatasetCreationRequest Dataset { get; init; }

    /// <summary>The lake key prefix of the de-identified studies, e.g. <c>site-7/</c>; the dataset's <c>pathInDatalake</c> values start with it.</summary>
    public required string KeyPrefix { get; init; }

    /// <summary>The de-identification key: pseudonyms, UIDs and date shifts derive from it, so a rerun produces the same outputs.</summary>
    public required DeidentificationKey Key { get; init; }

    /// <summary>
    /// The journal file (JSON lines, appended to; keep it outside <see cref="Folder"/>): studies uploaded and the creation
    /// operation, so that a rerun with the same journal skips finished studies and waits for the creation already started.
    /// </summary>
    public required string JournalPath { get; init; }
}
