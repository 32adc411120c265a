using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Runtime;

/// <summary>The sidecar JSON next to a model (<c>model.json</c> beside <c>model.onnx</c>); every member optional.</summary>
internal sealed record ModelSidecar
{
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("version")]
    public string? Version { get; init; }

    [JsonPropertyName("manufacturer")]
    public string? Manufacturer { get; init; }

    [JsonPropertyName("description")]
    public string? Description { get; init; }

    [JsonPropertyName("task")]
    public ModelTask? Task { get; init; }

    [JsonPropertyName("output")]
    public SidecarOutput? Output { get; init; }

    [JsonPropertyName("input")]
    public SidecarInput? Input { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyList<ModelLabel>? Labels { get; init; }

    /// <summary>Reads a sidecar; a malformed one is an error naming the file, as a model without its labels must not run unnoticed.</summary>
    public static ModelSidecar Read(string path, string modelPath)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, SidecarJsonContext.Default.ModelSidecar)
                ?? throw new ModelLoadException(modelPath, $"sidecar '{path}' is null");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(modelPath, $"sidecar '{path}' is not valid: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new ModelLoadException(modelPath, $"sidecar '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>The <c>labels</c> custom metadata of an ONNX file: the same JSON array as the sidecar's.</summary>
    public static IReadOnlyList<ModelLabel>? ParseLabels(string json, string modelPath)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SidecarJsonContext.Default.IReadOnlyListModelLabel);
        }
        catch (JsonException e)
        {
            throw new ModelLoadException(modelPath, $"the model's 'labels' metadata is not a valid label list: {e.Message}", e);
        }
    }
}

/// <summary>
/// The sidecar's <c>input</c> object: the members of <see cref="ModelPreprocessing"/>, each optional, so that a sidecar
/// giving only a normalization leaves the layout to the input's rank.
/// </summary>
internal sealed record SidecarInput
{
    [JsonPropertyName("layout")]
    [JsonConverter(typeof(JsonStringEnumConverter<TensorLayout>))]
    public TensorLayout? Layout { get; init; }

    [JsonPropertyName("size")]
    public IReadOnlyList<int>? Size { get; init; }

    [JsonPropertyName("spacing")]
    public IReadOnlyList<double>? Spacing { get; init; }

    [JsonPropertyName("normalization")]
    public IntensityNormalization? Normalization { get; init; }

    [JsonPropertyName("overlap")]
    public double? Overlap { get; init; }
}

/// <summary>The sidecar's <c>output</c> object.</summary>
internal sealed record SidecarOutput
{
    [JsonPropertyName("kind")]
    public ModelOutputKind? Kind { get; init; }

    [JsonPropertyName("threshold")]
    public double? Threshold { get; init; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, PropertyNameCaseInsensitive = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ModelSidecar))]
[JsonSerializable(typeof(IReadOnlyList<ModelLabel>))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
