using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Datasets;

/// <summary>
/// The MIABIS-style aggregates of a dataset (the <c>DatasetDetails</c> properties from <c>ageLow</c> to
/// <c>seriesTags</c>): value lists with a count of studies per value, read from the first instance of each series.
/// </summary>
internal sealed record DatasetMetadata
{
    [JsonPropertyName("ageLow")] public int? AgeLow { get; init; }
    [JsonPropertyName("ageHigh")] public int? AgeHigh { get; init; }
    [JsonPropertyName("ageUnit")] public IReadOnlyList<string> AgeUnit { get; init; } = [];
    [JsonPropertyName("ageNullCount")] public int? AgeNullCount { get; init; }
    [JsonPropertyName("sex")] public IReadOnlyList<string> Sex { get; init; } = [];
    [JsonPropertyName("sexCount")] public IReadOnlyList<int> SexCount { get; init; } = [];
    [JsonPropertyName("diagnosis")] public IReadOnlyList<string> Diagnosis { get; init; } = [];
    [JsonPropertyName("diagnosisCount")] public IReadOnlyList<int> DiagnosisCount { get; init; } = [];
    [JsonPropertyName("bodyPart")] public IReadOnlyList<string> BodyPart { get; init; } = [];
    [JsonPropertyName("bodyPartCount")] public IReadOnlyList<int> BodyPartCount { get; init; } = [];
    [JsonPropertyName("modality")] public IReadOnlyList<string> Modality { get; init; } = [];
    [JsonPropertyName("modalityCount")] public IReadOnlyList<int> ModalityCount { get; init; } = [];
    [JsonPropertyName("manufacturer")] public IReadOnlyList<string> Manufacturer { get; init; } = [];
    [JsonPropertyName("manufacturerCount")] public IReadOnlyList<int> ManufacturerCount { get; init; } = [];
    [JsonPropertyName("diagnosisYearLow")] public int? DiagnosisYearLow { get; init; }
    [JsonPropertyName("diagnosisYearHigh")] public int? DiagnosisYearHigh { get; init; }
    [JsonPropertyName("diagnosisYearNullCount")] public int? DiagnosisYearNullCount { get; init; }
    [JsonPropertyName("seriesTags")] public IReadOnlyList<string> SeriesTags { get; init; } = [];

    /// <summary>What a dataset whose metadata is not collected yet shows: empty lists, null numbers.</summary>
    public static DatasetMetadata NotCollected { get; } = new();

    public string ToJson() => JsonSerializer.Serialize(this, DatasetMetadataJsonContext.Default.DatasetMetadata);

    public static DatasetMetadata FromJson(string? json) =>
        json is null ? NotCollected : JsonSerializer.Deserialize(json, DatasetMetadataJsonContext.Default.DatasetMetadata) ?? NotCollected;
}

/// <summary>Source-generated serialization of <see cref="DatasetMetadata"/>.</summary>
[JsonSerializable(typeof(DatasetMetadata))]
internal sealed partial class DatasetMetadataJsonContext : JsonSerializerContext;
