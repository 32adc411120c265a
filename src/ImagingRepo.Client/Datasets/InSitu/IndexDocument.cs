using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>An entry of <c>index.json</c> as written (CHAIMELEON dataset index schema); unknown members are ignored.</summary>
internal sealed class IndexStudyEntry
{
    public string? StudyId { get; set; }

    public string? StudyName { get; set; }

    public string? SubjectName { get; set; }

    public string? Path { get; set; }

    public List<IndexSeriesEntry>? Series { get; set; }

    public string? Url { get; set; }
}

/// <summary>A series of an <c>index.json</c> study entry.</summary>
internal sealed class IndexSeriesEntry
{
    public string? FolderName { get; set; }

    public List<string>? Tags { get; set; }
}

/// <summary>An entry of <c>eforms.json</c>: the subject's key and its clinical form, kept as JSON.</summary>
internal sealed class EformEntry
{
    public string? SubjectName { get; set; }

    [JsonPropertyName("eForm")]
    public JsonElement EForm { get; set; }
}

[JsonSerializable(typeof(List<IndexStudyEntry>))]
[JsonSerializable(typeof(List<EformEntry>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
internal sealed partial class DatasetFolderJsonContext : JsonSerializerContext;
