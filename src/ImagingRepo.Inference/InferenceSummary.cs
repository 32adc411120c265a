using System.Text.Json.Serialization;

namespace ImagingRepo.Inference;

/// <summary>The JSON summary of a run (<c>inference-summary.json</c> in the output folder): model, provider and one entry per series.</summary>
public sealed record InferenceSummary
{
    /// <summary>The summary's file name.</summary>
    public const string FileName = "inference-summary.json";

    /// <summary>The model's name.</summary>
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    /// <summary>The model's version.</summary>
    [JsonPropertyName("modelVersion")]
    public required string ModelVersion { get; init; }

    /// <summary>Who made the model.</summary>
    [JsonPropertyName("manufacturer")]
    public required string Manufacturer { get; init; }

    /// <summary>SHA-256 of the model file (hex).</summary>
    [JsonPropertyName("modelSha256")]
    public required string ModelSha256 { get; init; }

    /// <summary>The execution provider, as <see cref="Runtime.ExecutionProviderReport.ToString"/> says it.</summary>
    [JsonPropertyName("executionProvider")]
    public required string ExecutionProvider { get; init; }

    /// <summary>When the results were created (ISO 8601).</summary>
    [JsonPropertyName("createdAt")]
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>One entry per series, in the order they ran.</summary>
    [JsonPropertyName("series")]
    public required IReadOnlyList<SeriesResult> Series { get; init; }
}

/// <summary>What happened to one series.</summary>
public sealed record SeriesResult
{
    /// <summary>Series Instance UID of the source.</summary>
    [JsonPropertyName("seriesInstanceUid")]
    public required string SeriesInstanceUid { get; init; }

    /// <summary>Study id (dataset) or Study Instance UID.</summary>
    [JsonPropertyName("study")]
    public string? Study { get; init; }

    /// <summary>Source slices used.</summary>
    [JsonPropertyName("slices")]
    public int Slices { get; init; }

    /// <summary><c>done</c> or <c>failed</c>.</summary>
    [JsonPropertyName("status")]
    public required string Status { get; init; }

    /// <summary>Why it failed, or null.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    /// <summary>Tolerated problems (gaps interpolated over).</summary>
    [JsonPropertyName("warnings")]
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The result objects written.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<ResultFile> Outputs { get; init; } = [];

    /// <summary>For a segmentation: each label found, with its size.</summary>
    [JsonPropertyName("segments")]
    public IReadOnlyList<SegmentSummary> Segments { get; init; } = [];

    /// <summary>For a classification: each class's score.</summary>
    [JsonPropertyName("scores")]
    public IReadOnlyList<ScoreSummary> Scores { get; init; } = [];

    /// <summary>Seconds spent reading and decoding the series and resampling it onto the model's grid (done slice by slice as it is decoded).</summary>
    [JsonPropertyName("decodeSeconds")]
    public double DecodeSeconds { get; init; }

    /// <summary>Seconds spent in the model and in mapping its output back onto the source (or scoring it).</summary>
    [JsonPropertyName("inferenceSeconds")]
    public double InferenceSeconds { get; init; }
}

/// <summary>One result object.</summary>
/// <param name="Kind"><c>SEG</c> or <c>SR</c>.</param>
/// <param name="File">Its file name in the output folder.</param>
/// <param name="SopInstanceUid">Its SOP Instance UID.</param>
public sealed record ResultFile(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("sopInstanceUid")] string SopInstanceUid);

/// <summary>One label of a segmentation.</summary>
/// <param name="Value">The label value.</param>
/// <param name="Name">The label's name.</param>
/// <param name="Voxels">Source voxels carrying it.</param>
/// <param name="VolumeMl">Their volume in millilitres.</param>
public sealed record SegmentSummary(
    [property: JsonPropertyName("value")] int Value,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("voxels")] long Voxels,
    [property: JsonPropertyName("volumeMl")] double VolumeMl);

/// <summary>One class of a classification.</summary>
/// <param name="Value">The class index.</param>
/// <param name="Name">The class name.</param>
/// <param name="Score">Its probability.</param>
public sealed record ScoreSummary(
    [property: JsonPropertyName("value")] int Value,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("score")] double Score);

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(InferenceSummary))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
