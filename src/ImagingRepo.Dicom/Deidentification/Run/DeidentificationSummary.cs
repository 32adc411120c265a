namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>What a <see cref="DeidentificationRun"/> did: counts by outcome, the inputs that failed or were skipped as duplicates, with reasons, and where things went.</summary>
public sealed record DeidentificationSummary
{
    /// <summary>Inputs written, de-identified, to the output tree.</summary>
    public required int Deidentified { get; init; }

    /// <summary>Inputs written to the quarantine tree: their pixels may show identifying text (the receipt's <c>quarantineReason</c> says why).</summary>
    public required int Quarantined { get; init; }

    /// <summary>Inputs whose output an earlier run wrote: skipped (with a receipt written now when the earlier run had not written one).</summary>
    public required int SkippedAsDone { get; init; }

    /// <summary>
    /// Files that are not DICOM instances: a DICOMDIR (see <see cref="DeidentificationInputs.IsMediaDirectory"/>), or a file
    /// that could not be read as DICOM and lacks the <c>DICM</c> prefix (see <see cref="DeidentificationInputs.IsNotDicom"/>).
    /// </summary>
    public required int Ignored { get; init; }

    /// <summary>Inputs that failed, in ordinal order of their paths; <see cref="DeidentificationResult.Reason"/> says why.</summary>
    public required IReadOnlyList<DeidentificationResult> Failures { get; init; }

    /// <summary>
    /// Inputs skipped as duplicates of an input earlier in the list (the same SOP Instance UID and the same bytes, or an output
    /// another run wrote meanwhile), in ordinal order of their paths; <see cref="DeidentificationResult.Reason"/> says of which.
    /// </summary>
    public required IReadOnlyList<DeidentificationResult> Duplicates { get; init; }

    /// <summary>What was made up for inputs that were written, in ordinal order of path and text.</summary>
    public required IReadOnlyList<DeidentificationNote> Notes { get; init; }

    /// <summary>The output tree, as a full path.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>The quarantine tree, as a full path.</summary>
    public required string QuarantineRoot { get; init; }

    /// <summary>The receipts file.</summary>
    public required string ReceiptsPath { get; init; }

    /// <summary>How long the run took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Whether no input failed.</summary>
    public bool Succeeded => Failures.Count == 0;
}
