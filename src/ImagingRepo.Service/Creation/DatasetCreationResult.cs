using System.Text.Json.Serialization;
using ImagingRepo.Service.Creation.Metadata;

namespace ImagingRepo.Service.Creation;

/// <summary>
/// What one finished dataset creation produced: the metadata to store on the dataset and its studies, the per-study
/// hashes, the content hashes its CREATE_DATASET trace carries, and what was pruned. Kept with the operation, so that a
/// run resumed after a crash records exactly the trace the first run prepared.
/// </summary>
public sealed record DatasetCreationResult
{
    /// <summary>The dataset.</summary>
    [JsonPropertyName("datasetId")]
    public required string DatasetId { get; init; }

    /// <summary>The aggregates (counts, age range, sex, body part, modality, manufacturer, …).</summary>
    [JsonPropertyName("metadata")]
    public required DatasetMetadata Metadata { get; init; }

    /// <summary>The studies as laid out, in index order, with their series after pruning.</summary>
    [JsonPropertyName("studies")]
    public required IReadOnlyList<CreatedStudy> Studies { get; init; }

    /// <summary>Series that were selected but are not in the data lake, and were left out.</summary>
    [JsonPropertyName("prunedSeries")]
    public required IReadOnlyList<PrunedSeries> PrunedSeries { get; init; }

    /// <summary>SHA3-256 of <c>index.json</c>, base64 (trace resource <c>index</c>).</summary>
    [JsonPropertyName("indexHash")]
    public required string IndexHash { get; init; }

    /// <summary>SHA3-256 over the study digests, base64 (trace resource <c>images</c>).</summary>
    [JsonPropertyName("imagesHash")]
    public required string ImagesHash { get; init; }

    /// <summary>SHA3-256 of <c>eforms.json</c>, base64 (trace resource <c>clinicalData</c>).</summary>
    [JsonPropertyName("clinicalDataHash")]
    public required string ClinicalDataHash { get; init; }

    /// <summary>Things the run worked around (an unreadable first instance, a subject without eForm), one line each.</summary>
    [JsonPropertyName("notes")]
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A study as laid out in a dataset.</summary>
public sealed record CreatedStudy
{
    /// <summary>The study's id (<c>studyId</c>).</summary>
    [JsonPropertyName("studyId")]
    public required string StudyId { get; init; }

    /// <summary>The subject (<c>subjectName</c>).</summary>
    [JsonPropertyName("subjectName")]
    public required string SubjectName { get; init; }

    /// <summary>The study's path in the dataset folder: <c>&lt;subjectName&gt;/&lt;basename(pathInDatalake)&gt;</c>.</summary>
    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>The series kept, in index order.</summary>
    [JsonPropertyName("series")]
    public required IReadOnlyList<CreatedSeries> Series { get; init; }

    /// <summary>What the study's headers and its subject's eForm say.</summary>
    [JsonPropertyName("metadata")]
    public required StudyMetadata Metadata { get; init; }

    /// <summary>Bytes of the files of its series.</summary>
    [JsonPropertyName("sizeInBytes")]
    public required long SizeInBytes { get; init; }

    /// <summary>The study's SHA3-256 (over its series digests), base64: tells which study changed when <c>images</c> does.</summary>
    [JsonPropertyName("hash")]
    public required string Hash { get; init; }
}

/// <summary>A series as laid out in a dataset.</summary>
/// <param name="FolderName">Its folder (<c>folderName</c>).</param>
/// <param name="Tags">Its tags (<c>tags</c>).</param>
/// <param name="Metadata">What its first instance says.</param>
/// <param name="FileCount">Number of files.</param>
/// <param name="SizeInBytes">Bytes of its files.</param>
public sealed record CreatedSeries(
    [property: JsonPropertyName("folderName")] string FolderName,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags,
    [property: JsonPropertyName("metadata")] SeriesMetadata Metadata,
    [property: JsonPropertyName("fileCount")] int FileCount,
    [property: JsonPropertyName("sizeInBytes")] long SizeInBytes);

/// <summary>A selected series that the data lake does not have.</summary>
/// <param name="StudyId">Its study.</param>
/// <param name="FolderName">Its folder name.</param>
public sealed record PrunedSeries(
    [property: JsonPropertyName("studyId")] string StudyId,
    [property: JsonPropertyName("folderName")] string FolderName);
