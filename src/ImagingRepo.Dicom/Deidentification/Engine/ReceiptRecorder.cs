namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>Makes the receipt of a named output and writes its entry in the re-identification journal.</summary>
internal sealed class ReceiptRecorder
{
    private readonly DeidentificationPolicy _policy;
    private readonly DeidentificationKey _key;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _optionNames;
    private readonly IReadOnlyList<string> _codes;
    private readonly string _preambleKind;

    /// <summary>Creates a recorder for outputs made under <paramref name="policy"/> and <paramref name="key"/>.</summary>
    public ReceiptRecorder(DeidentificationPolicy policy, DeidentificationKey key, TimeProvider time)
    {
        _policy = policy;
        _key = key;
        _time = time;
        _optionNames = DeidentificationOptionNames.ToNames(policy.Options);
        _codes = [.. DeidentificationMethodCode.For(policy.Options).Select(c => c.Value)];
        _preambleKind = policy.Preamble.IsEmpty ? "zeros" : "policy";
    }

    /// <summary>Where the honest broker's re-identification journal goes; none when null.</summary>
    public ReidentificationJournal? Journal { get; set; }

    /// <summary>Writes the journal entry of a named output and returns its receipt.</summary>
    public DeidentificationReceipt Record(PreparedOutput prepared, ReadOnlySpan<byte> hash, long length)
    {
        var report = prepared.Report;
        var (counts, tags) = report.Actions.Summarize();
        Journal?.Record(report.PatientKey, prepared.Subject, report.DateShiftDays, prepared.OriginalStudy, prepared.Study);
        return new DeidentificationReceipt
        {
            Options = _optionNames,
            MethodCodes = prepared.PixelsCleaned ? [.. DeidentificationMethodCode.For(_policy.Options, true).Select(c => c.Value)] : _codes,
            PolicyName = _policy.Name,
            PolicyVersion = _policy.Version,
            KeyFingerprint = _key.Fingerprint,
            Disposition = prepared.Risk is null ? "deidentified" : "quarantined",
            QuarantineReason = prepared.Risk,
            OutputPath = OutputLayout.ReceiptPath(prepared.Relative),
            OutputSopInstanceUid = prepared.NewSop,
            OutputStudyInstanceUid = prepared.Study,
            OutputSeriesInstanceUid = prepared.Series,
            OutputLength = length,
            OutputHash = Convert.ToBase64String(hash),
            PixelsCleaned = prepared.PixelsCleaned,
            Preamble = _preambleKind,
            Diagnostics = prepared.Diagnostics,
            ActionCounts = counts,
            Tags = tags,
            Timestamp = _time.GetUtcNow(),
        };
    }
}
