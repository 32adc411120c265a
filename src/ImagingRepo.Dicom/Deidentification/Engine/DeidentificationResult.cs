namespace ImagingRepo.Dicom.Deidentification;

/// <summary>How one input ended.</summary>
public enum DeidentificationStatus
{
    /// <summary>Written, de-identified, to the output tree.</summary>
    Deidentified,

    /// <summary>De-identified header written to the quarantine tree: the pixels may show identifying text.</summary>
    Quarantined,

    /// <summary>The output already exists from an earlier run with the same key: nothing was written.</summary>
    Skipped,

    /// <summary>The input could not be de-identified (unreadable, truncated, not DICOM): nothing was written.</summary>
    Failed,
}

/// <summary>The outcome of de-identifying one file.</summary>
/// <param name="SourcePath">The input path.</param>
/// <param name="Status">How it ended.</param>
/// <param name="OutputPath">The full path of the file written, under the output root or, when quarantined, the
/// quarantine root (<c>root/subject/study/series/instance.dcm</c>; a subject folder <c>unknown-subject</c> when the
/// instance has no Patient ID); the existing file when skipped; null when failed.</param>
/// <param name="Reason">Why it failed or went to quarantine; null otherwise.</param>
/// <param name="Receipt">The receipt of a written output; null when skipped or failed.</param>
public sealed record DeidentificationResult(
    string SourcePath,
    DeidentificationStatus Status,
    string? OutputPath,
    string? Reason,
    DeidentificationReceipt? Receipt);
