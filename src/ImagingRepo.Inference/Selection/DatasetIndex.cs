using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Inference.Selection;

/// <summary>The parts of a dataset's <c>index.json</c> the scanner needs (the CHAIMELEON dataset index).</summary>
internal sealed record DatasetIndexStudy
{
    [JsonPropertyName("studyId")]
    public string? StudyId { get; init; }

    [JsonPropertyName("subjectName")]
    public string? SubjectName { get; init; }

    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("series")]
    public IReadOnlyList<DatasetIndexSeries>? Series { get; init; }

    public static async Task<IReadOnlyList<DatasetIndexStudy>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var stream = File.OpenRead(path);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, DatasetIndexJsonContext.Default.IReadOnlyListDatasetIndexStudy, cancellationToken).ConfigureAwait(false) ?? [];
            }
        }
        catch (JsonException e)
        {
            throw new InferenceException($"'{path}' is not a dataset index (an array of studies): {e.Message}", e);
        }
    }
}

internal sealed record DatasetIndexSeries
{
    [JsonPropertyName("folderName")]
    public string? FolderName { get; init; }

    [JsonPropertyName("tags")]
    public IReadOnlyList<string>? Tags { get; init; }
}

[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(IReadOnlyList<DatasetIndexStudy>))]
internal sealed partial class DatasetIndexJsonContext : JsonSerializerContext;
