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
/// <param name="StudyInstanceUid">The study in the PACS.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Instances">Instances retrieved (0 when skipped).</param>
/// <param name="Quarantined">Instances set aside by the policy.</param>
/// <param name="LakeStudies">The de-identified study folders it became, relative to the lake (<c>prefix/subject/study</c>).</param>
/// <param name="Reason">Why it failed, or null.</param>
public sealed record DatasetUploadItem(
    string StudyInstanceUid, DatasetUploadOutcome Outcome, int Instances, int Quarantined, IReadOnlyList<string> LakeStudies, string? Reason);

/// <summary>What a <see cref="DatasetUploader"/> run did.</summary>
/// <param name="Items">Every source study's outcome, in the order asked.</param>
/// <param name="Dataset">The created dataset, or null when a study failed (nothing is created from a partial upload).</param>
public sealed record DatasetUploadReport(IReadOnlyList<DatasetUploadItem> Items, DatasetDetails? Dataset)
{
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
}

/// <summary>Progress of a <see cref="DatasetUploader"/> run.</summary>
/// <param name="Stage">The current stage.</param>
/// <param name="StudiesDone">Source studies finished (uploaded, skipped, quarantined or failed).</param>
/// <param name="StudiesTotal">Source studies in all.</param>
/// <param name="Instances">Instances retrieved so far in this run.</param>
/// <param name="Creation">The creation's last status while <see cref="Stage"/> is <see cref="DatasetUploadStage.Creating"/>, else null.</param>
public sealed record DatasetUploadProgress(DatasetUploadStage Stage, int StudiesDone, int StudiesTotal, int Instances, DatasetCreationStatus? Creation);
