namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>How one input ended.</summary>
public enum DeidentificationStatus
{
    /// <summary>Written, de-identified, to the output tree.</summary>
    Deidentified,

    /// <summary>De-identified header written to the quarantine tree: the pixels may show identifying text.</summary>
    Quarantined,

    /// <summary>
    /// The output already exists from an earlier run with the same key, or the input is a duplicate of one earlier in the
    /// batch (<see cref="DeidentificationResult.Reason"/> then names it): nothing was written.
    /// </summary>
    Skipped,

    /// <summary>
    /// The input could not be de-identified (unreadable, truncated, not DICOM), or it conflicts with an input earlier in the
    /// batch (the same SOP Instance UID, other content): nothing was written for it.
    /// </summary>
    Failed,
}

/// <summary>The outcome of de-identifying one file.</summary>
/// <param name="SourcePath">The input path.</param>
/// <param name="Status">How it ended.</param>
/// <param name="OutputPath">The full path of the file written, under the output root or, when quarantined, the
/// quarantine root (<c>root/subject/study/series/instance.dcm</c>; a subject folder <c>unknown-subject</c> when the
/// instance has no Patient ID); the existing file when skipped; null when failed.</param>
/// <param name="Reason">Why it failed, went to quarantine or was skipped as a duplicate; null otherwise.</param>
/// <param name="Receipt">The receipt of a written output; null when skipped or failed.</param>
public sealed record DeidentificationResult(
    string SourcePath,
    DeidentificationStatus Status,
    string? OutputPath,
    string? Reason,
    DeidentificationReceipt? Receipt)
{
    /// <summary>What the engine had to make up for a written input (e.g. a missing SOP Instance UID); empty when nothing.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];
}
