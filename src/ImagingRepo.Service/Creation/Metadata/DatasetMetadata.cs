using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>A value and the number of studies that have it.</summary>
/// <param name="Value">The value; <see cref="DatasetMetadata.Unknown"/> for studies without one.</param>
/// <param name="Count">Number of studies.</param>
public sealed record ValueCount(
    [property: JsonPropertyName("value")] string Value,
    [property: JsonPropertyName("count")] int Count);

/// <summary>
/// The MIABIS-style aggregates of a dataset, the ones the CHAIMELEON API shows on a dataset (<c>studiesCount</c>,
/// <c>ageLow</c>, <c>sex</c>/<c>sexCount</c>, …). Values are listed in the order the studies first show them, with
/// <see cref="Unknown"/> last.
/// </summary>
/// <remarks>
/// Where the CHAIMELEON service differs, deliberately: a study whose series were all pruned counts as Unknown rather than
/// not at all, so that each count list sums to <see cref="StudiesCount"/> for sex and diagnosis; a study counts once
/// under each distinct body part, modality and manufacturer of its series (a PET/CT study under PT and CT), not only
/// under its first series'; the missing value is spelled <c>Unknown</c> everywhere.
/// </remarks>
public sealed record DatasetMetadata
{
    /// <summary>The word for a missing value.</summary>
    public const string Unknown = "Unknown";

    /// <summary>Number of studies.</summary>
    [JsonPropertyName("studiesCount")]
    public required int StudiesCount { get; init; }

    /// <summary>Number of distinct subjects.</summary>
    [JsonPropertyName("subjectsCount")]
    public required int SubjectsCount { get; init; }

    /// <summary>Age of the youngest subject (in its own unit), or null when no age is known.</summary>
    [JsonPropertyName("ageLow")]
    public PatientAge? AgeLow { get; init; }

    /// <summary>Age of the oldest subject (in its own unit), or null when no age is known.</summary>
    [JsonPropertyName("ageHigh")]
    public PatientAge? AgeHigh { get; init; }

    /// <summary>Studies whose subject's age is unknown.</summary>
    [JsonPropertyName("ageNullCount")]
    public required int AgeNullCount { get; init; }

    /// <summary>Sex in MIABIS words (Male, Female, Undifferentiated, Unknown) with their study counts.</summary>
    [JsonPropertyName("sex")]
    public required IReadOnlyList<ValueCount> Sex { get; init; }

    /// <summary>Diagnoses with their study counts.</summary>
    [JsonPropertyName("diagnosis")]
    public required IReadOnlyList<ValueCount> Diagnosis { get; init; }

    /// <summary>Body parts with their study counts.</summary>
    [JsonPropertyName("bodyPart")]
    public required IReadOnlyList<ValueCount> BodyPart { get; init; }

    /// <summary>Modalities with their study counts.</summary>
    [JsonPropertyName("modality")]
    public required IReadOnlyList<ValueCount> Modality { get; init; }

    /// <summary>Harmonized manufacturers with their study counts.</summary>
    [JsonPropertyName("manufacturer")]
    public required IReadOnlyList<ValueCount> Manufacturer { get; init; }

    /// <summary>Earliest year of diagnosis, or null when none is known.</summary>
    [JsonPropertyName("diagnosisYearLow")]
    public int? DiagnosisYearLow { get; init; }

    /// <summary>Latest year of diagnosis, or null when none is known.</summary>
    [JsonPropertyName("diagnosisYearHigh")]
    public int? DiagnosisYearHigh { get; init; }

    /// <summary>Studies whose year of diagnosis is unknown.</summary>
    [JsonPropertyName("diagnosisYearNullCount")]
    public required int DiagnosisYearNullCount { get; init; }

    /// <summary>The distinct tags of the selected series, in ordinal order.</summary>
    [JsonPropertyName("seriesTags")]
    public required IReadOnlyList<string> SeriesTags { get; init; }

    /// <summary>Bytes of all files of the selected series plus <c>eforms.json</c>.</summary>
    [JsonPropertyName("sizeInBytes")]
    public required long SizeInBytes { get; init; }

    /// <summary>A DICOM sex code in MIABIS words.</summary>
    /// <param name="sex">M, F, O or null.</param>
    public static string SexToMiabis(string? sex) => sex switch
    {
        "M" => "Male",
        "F" => "Female",
        "O" => "Undifferentiated",
        _ => Unknown,
    };
}
