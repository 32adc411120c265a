using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Datasets;

/// <summary>A series of a study chosen for a dataset (<c>Series</c> in the v1 API).</summary>
/// <param name="FolderName">Folder of the series inside the study's folder.</param>
/// <param name="Tags">Free tags of the series.</param>
internal sealed record SeriesEntry(
    [property: JsonPropertyName("folderName")] string FolderName,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>A study of a dataset, in the dataset's order.</summary>
internal sealed record StudyRecord
{
    public required string StudyId { get; init; }
    public required string StudyName { get; init; }
    public required string SubjectName { get; init; }

    /// <summary>The study's folder relative to the data lake's root (never shown to users).</summary>
    public required string PathInDatalake { get; init; }
    public required IReadOnlyList<SeriesEntry> Series { get; init; }
    public string Url { get; init; } = "";
    public long? SizeInBytes { get; init; }

    /// <summary>Base64 SHA3-256 of the study (DatasetHasher), once created.</summary>
    public string? Hash { get; init; }

    /// <summary>Facts read from the study's first instances (JSON, see the creation pipeline), once collected.</summary>
    public string? Metadata { get; init; }
}

/// <summary>A subject of a dataset with its clinical data (<c>Subject</c> in the v1 API).</summary>
/// <param name="SubjectName">Pseudonymous subject code.</param>
/// <param name="SubjectId">The data lake explorer's id.</param>
/// <param name="EForm">The clinical data as JSON text, or null.</param>
internal sealed record SubjectRecord(string SubjectName, string SubjectId, string? EForm);
