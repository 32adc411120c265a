namespace ImagingRepo.Client.DicomWeb;

/// <summary>A study as a QIDO-RS search describes it (the DICOM JSON model read into typed fields).</summary>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D).</param>
/// <param name="PatientId">Patient ID (0010,0020), or null when the PACS did not return it.</param>
/// <param name="PatientName">Patient's Name (0010,0010), its alphabetic form.</param>
/// <param name="StudyDate">Study Date (0008,0020), or null when absent or not a valid DA value.</param>
/// <param name="AccessionNumber">Accession Number (0008,0050).</param>
/// <param name="StudyDescription">Study Description (0008,1030).</param>
/// <param name="Modalities">Modalities in Study (0008,0061).</param>
/// <param name="SeriesCount">Number of Study Related Series (0020,1206).</param>
/// <param name="InstanceCount">Number of Study Related Instances (0020,1208).</param>
public sealed record DicomWebStudy(
    string StudyInstanceUid, string? PatientId, string? PatientName, DateOnly? StudyDate, string? AccessionNumber, string? StudyDescription,
    IReadOnlyList<string> Modalities, int? SeriesCount, int? InstanceCount);

/// <summary>A series as a QIDO-RS search describes it.</summary>
/// <param name="StudyInstanceUid">Study Instance UID (0020,000D) of the study searched.</param>
/// <param name="SeriesInstanceUid">Series Instance UID (0020,000E).</param>
/// <param name="Modality">Modality (0008,0060).</param>
/// <param name="SeriesNumber">Series Number (0020,0011).</param>
/// <param name="SeriesDescription">Series Description (0008,103E).</param>
/// <param name="InstanceCount">Number of Series Related Instances (0020,1209).</param>
public sealed record DicomWebSeries(
    string StudyInstanceUid, string SeriesInstanceUid, string? Modality, int? SeriesNumber, string? SeriesDescription, int? InstanceCount);

/// <summary>What a WADO-RS retrieve wrote.</summary>
/// <param name="Files">The DICOM Part 10 files written, in the order the server sent them.</param>
/// <param name="Bytes">Their total size.</param>
public sealed record DicomWebRetrieval(IReadOnlyList<string> Files, long Bytes);

/// <summary>Progress of a WADO-RS retrieve, reported after each instance is on disk.</summary>
/// <param name="Instances">Instances written so far.</param>
/// <param name="Bytes">Bytes written so far.</param>
public sealed record DicomWebRetrieveProgress(int Instances, long Bytes);

/// <summary>What a STOW-RS store did.</summary>
/// <param name="Stored">SOP Instance UIDs the server stored (Referenced SOP Sequence).</param>
/// <param name="Failed">SOP Instance UIDs it refused, with its Failure Reason code (Failed SOP Sequence).</param>
public sealed record DicomWebStoreResult(IReadOnlyList<string> Stored, IReadOnlyList<DicomWebStoreFailure> Failed);

/// <summary>An instance a STOW-RS server refused.</summary>
/// <param name="SopInstanceUid">Its SOP Instance UID, when the server named it.</param>
/// <param name="FailureReason">Failure Reason (0008,1197), e.g. 272 (0110H, processing failure), when given.</param>
public sealed record DicomWebStoreFailure(string? SopInstanceUid, int? FailureReason);
