namespace ImagingRepo.Client.DicomWeb;

/// <summary>
/// The matching keys of a QIDO-RS study search (<c>GET studies</c>). Every key that is set must match; null keys do not
/// filter. Values are matched as the PACS matches them (exact, or with <c>*</c> and <c>?</c> wildcards where the key allows).
/// </summary>
public sealed record DicomWebStudyQuery
{
    /// <summary>Patient ID (0010,0020).</summary>
    public string? PatientId { get; init; }

    /// <summary>A modality the study holds (Modalities in Study, 0008,0061), e.g. <c>CT</c>.</summary>
    public string? Modality { get; init; }

    /// <summary>First study date of the range (Study Date, 0008,0020), inclusive; null for an open start.</summary>
    public DateOnly? StudyDateFrom { get; init; }

    /// <summary>Last study date of the range, inclusive; null for an open end.</summary>
    public DateOnly? StudyDateTo { get; init; }

    /// <summary>Study Instance UID (0020,000D).</summary>
    public string? StudyInstanceUid { get; init; }

    /// <summary>Accession Number (0008,0050).</summary>
    public string? AccessionNumber { get; init; }
}

/// <summary>The matching keys of a QIDO-RS series search within one study (<c>GET studies/{study}/series</c>).</summary>
public sealed record DicomWebSeriesQuery
{
    /// <summary>Modality (0008,0060), e.g. <c>CT</c>.</summary>
    public string? Modality { get; init; }

    /// <summary>Series Instance UID (0020,000E).</summary>
    public string? SeriesInstanceUid { get; init; }
}
