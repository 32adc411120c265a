namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>
/// What one de-identification run reads, writes and with which key and policy: the inputs of
/// <see cref="DeidentificationRun"/>. Paths may be relative (to the current folder).
/// </summary>
public sealed record DeidentificationRunOptions
{
    /// <summary>DICOM files, or folders searched recursively, de-identified in this order (a folder's files in ordinal order of their paths).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>The output tree: <c>OutputRoot/&lt;subject&gt;/&lt;study&gt;/&lt;series&gt;/&lt;instance&gt;.dcm</c>.</summary>
    public required string OutputRoot { get; init; }

    /// <summary>Where instances that may show burned-in text go; <see cref="OutputRoot"/> + <c>-quarantine</c> when null.</summary>
    public string? QuarantineRoot { get; init; }

    /// <summary>The project's pseudonymization key.</summary>
    public required DeidentificationKey Key { get; init; }

    /// <summary>The project policy; <see cref="DeidentificationPolicy.Default"/> when null.</summary>
    public DeidentificationPolicy? Policy { get; init; }

    /// <summary>The receipts file, one JSON line per written instance, appended to; <c>OutputRoot/receipts.jsonl</c> when null.</summary>
    public string? ReceiptsPath { get; init; }

    /// <summary>
    /// Where the honest broker's re-identification journal goes; none when null. It holds personal data, so a path
    /// inside <see cref="OutputRoot"/> is refused.
    /// </summary>
    public string? JournalPath { get; init; }

    /// <summary>Files processed at once: the number of cores when null; at least 1 and at most four times the number of cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// Whether the receipts file of an earlier run is read, so that outputs it named but did not record (a crash came
    /// between the two) get their receipts now; true by default. Outputs that exist are skipped either way.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>The clock for receipt timestamps and the elapsed time; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
