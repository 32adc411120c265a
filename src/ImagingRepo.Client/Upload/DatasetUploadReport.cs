using ImagingRepo.Client.Datasets;

namespace ImagingRepo.Client.Upload;

/// <summary>What became of one source study in a <see cref="DatasetUploader"/> run.</summary>
public enum DatasetUploadOutcome
{
    /// <summary>Retrieved, de-identified and stored in the lake in this run.</summary>
    Uploaded,

    /// <summary>The journal records it as uploaded by an earlier run: not retrieved again.</summary>
    Skipped,

    /// <summary>Retrieved, but every instance was set aside by the policy (e.g. burned-in annotation): nothing uploaded.</summary>
    Quarantined,

    /// <summary>Not (completely) uploaded; <see cref="DatasetUploadItem.Reason"/> says why. A rerun tries it again.</summary>
    Failed,
}

/// <summary>One source study's outcome.</summary>
/// <param name="StudyInstanceUid">The study in the source (the PACS, or the instances of a folder that carry this UID).</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Instances">Instances retrieved from the PACS, or found in the folder (0 when skipped).</param>
/// <param name="Quarantined">Instances set aside by the policy.</param>
/// <param name="LakeStudies">The de-identified study folders it became, relative to the lake (<c>prefix/subject/study</c>).</param>
/// <param name="Reason">Why it failed, or null.</param>
public sealed record DatasetUploadItem(
    string StudyInstanceUid, DatasetUploadOutcome Outcome, int Instances, int Quarantined, IReadOnlyList<string> LakeStudies, string? Reason);

/// <summary>What became of a file of a source folder that is in no study (<see cref="DatasetUploadReport.Files"/>).</summary>
public enum DatasetUploadFileOutcome
{
    /// <summary>Not a DICOM instance (a text or spreadsheet file, a DICOMDIR): left out, as an export's extra files are.</summary>
    Ignored,

    /// <summary>A DICOM file whose study could not be read: not uploaded, and no dataset is created until it is fixed or removed.</summary>
    Failed,
}

/// <summary>A file of a source folder that is in no study.</summary>
/// <param name="Path">The file.</param>
/// <param name="Outcome">Left out as not DICOM, or failed.</param>
/// <param name="Reason">Why.</param>
public sealed record DatasetUploadFile(string Path, DatasetUploadFileOutcome Outcome, string Reason);

/// <summary>What a <see cref="DatasetUploader"/> run did.</summary>
/// <param name="Items">Every source study's outcome, in the order asked (a folder's studies in the order of their UIDs).</param>
/// <param name="Dataset">The created dataset, or null when a study or a DICOM file failed or there was no study (nothing is created from a partial or empty upload).</param>
public sealed record DatasetUploadReport(IReadOnlyList<DatasetUploadItem> Items, DatasetDetails? Dataset)
{
    /// <summary>The files of a source folder that are in no study: not DICOM (ignored), or DICOM whose study could not be read (failed); empty for a PACS.</summary>
    public IReadOnlyList<DatasetUploadFile> Files { get; init; } = [];

    /// <summary>The source studies that failed.</summary>
    public IReadOnlyList<DatasetUploadItem> Failures => [.. Items.Where(i => i.Outcome == DatasetUploadOutcome.Failed)];

    /// <summary>True when every study is in the lake (or quarantined) and the dataset was created.</summary>
    public bool Succeeded => Dataset is not null && Failures.Count == 0;
}

/// <summary>The stage a <see cref="DatasetUploader"/> run is in.</summary>
public enum DatasetUploadStage
{
    /// <summary>Retrieving a study from the PACS.</summary>
    Retrieving,

    /// <summary>De-identifying a study and uploading it to the lake.</summary>
    Uploading,

    /// <summary>The service is creating the dataset.</summary>
    Creating,

    /// <summary>The run is over.</summary>
    Finished,

    /// <summary>
    /// Reading the headers of a source folder's files to group them into studies: <see cref="DatasetUploadProgress.Instances"/>
    /// counts the files read so far and <see cref="DatasetUploadProgress.StudiesTotal"/> the studies found so far.
    /// </summary>
    Scanning,
}

/// <summary>Progress of a <see cref="DatasetUploader"/> run.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="StudiesDone">Source studies finished (uploaded, skipped, quarantined or failed).</param>
/// <param name="StudiesTotal">Source studies in all.</param>
/// <param name="Instances">Instances retrieved (or, from a folder, uploaded) so far in this run; files read while <see cref="Stage"/> is <see cref="DatasetUploadStage.Scanning"/>.</param>
/// <param name="Creation">The creation's last status while <see cref="Stage"/> is <see cref="DatasetUploadStage.Creating"/>, else null.</param>
public sealed record DatasetUploadProgress(DatasetUploadStage Stage, int StudiesDone, int StudiesTotal, int Instances, DatasetCreationStatus? Creation);
