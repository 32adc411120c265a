using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>
/// What a dataset creation learned about one study: subject and study attributes from the first instance of its first
/// readable series, overridden by the subject's eForm where it has them, and the distinct series-level values of all its
/// series.
/// </summary>
public sealed record StudyMetadata
{
    /// <summary>The subject's age (eForm's age at diagnosis, else DICOM's Patient's Age).</summary>
    [JsonPropertyName("age")]
    public PatientAge? Age { get; init; }

    /// <summary>The subject's sex as DICOM codes it (M, F, O), from the eForm or the header; null when unknown.</summary>
    [JsonPropertyName("sex")]
    public string? Sex { get; init; }

    /// <summary>The diagnosis (first two words of the private project name 70D1,2000, e.g. "Colon cancer").</summary>
    [JsonPropertyName("diagnosis")]
    public string? Diagnosis { get; init; }

    /// <summary>The whole private project name (70D1,2000): the subproject the study was collected for.</summary>
    [JsonPropertyName("subproject")]
    public string? Subproject { get; init; }

    /// <summary>Year of diagnosis, from the eForm.</summary>
    [JsonPropertyName("diagnosisYear")]
    public int? DiagnosisYear { get; init; }

    /// <summary>The study date (0008,0020) as the de-identified header has it.</summary>
    [JsonPropertyName("studyDate")]
    public DateOnly? StudyDate { get; init; }

    /// <summary>The distinct body parts of its series, in series order.</summary>
    [JsonPropertyName("bodyParts")]
    public IReadOnlyList<string> BodyParts { get; init; } = [];

    /// <summary>The distinct modalities of its series, in series order.</summary>
    [JsonPropertyName("modalities")]
    public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>The distinct harmonized manufacturers of its series, in series order.</summary>
    [JsonPropertyName("manufacturers")]
    public IReadOnlyList<string> Manufacturers { get; init; } = [];
}

/// <summary>What the first instance of one series says about the series.</summary>
/// <param name="Modality">Modality (0008,0060).</param>
/// <param name="BodyPart">Body Part Examined (0018,0015).</param>
/// <param name="Manufacturer">Manufacturer (0008,0070), harmonized (<see cref="ManufacturerNames"/>).</param>
public sealed record SeriesMetadata(
    [property: JsonPropertyName("modality")] string? Modality,
    [property: JsonPropertyName("bodyPart")] string? BodyPart,
    [property: JsonPropertyName("manufacturer")] string? Manufacturer)
{
    /// <summary>Nothing known: the series has no readable instance.</summary>
    public static SeriesMetadata Unknown { get; } = new(null, null, null);
}
