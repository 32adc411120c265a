using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Creation;

/// <summary>
/// Everything one dataset creation needs, kept with its operation so that a run after a restart sees what the first
/// one saw: the dataset, its author and the studies, series and clinical data the author selected. Field names are the
/// ones of the CHAIMELEON API's <c>StudyCreationObject</c> and <c>Subject</c>.
/// </summary>
public sealed record DatasetCreationRequest
{
    /// <summary>The dataset's id (a UUID); also the name of its folder.</summary>
    [JsonPropertyName("datasetId")]
    public required string DatasetId { get; init; }

    /// <summary>The author's user id, as the trace records it (pseudonymized before it is stored).</summary>
    [JsonPropertyName("authorId")]
    public required string AuthorId { get; init; }

    /// <summary>The studies selected, in the order of the dataset's index.</summary>
    [JsonPropertyName("studies")]
    public required IReadOnlyList<SelectedStudy> Studies { get; init; }

    /// <summary>The clinical data of the subjects (written to <c>eforms.json</c>).</summary>
    [JsonPropertyName("subjects")]
    public IReadOnlyList<SubjectEform> Subjects { get; init; } = [];
}

/// <summary>A study selected for a dataset (<c>StudyCreationObject</c>).</summary>
public sealed record SelectedStudy
{
    /// <summary>The study's id in the case explorer (<c>studyId</c>, at most 64 characters).</summary>
    [JsonPropertyName("studyId")]
    public required string StudyId { get; init; }

    /// <summary>The study's name (<c>studyName</c>, at most 128 characters).</summary>
    [JsonPropertyName("studyName")]
    public required string StudyName { get; init; }

    /// <summary>The pseudonymous subject (<c>subjectName</c>); also a folder name in the dataset.</summary>
    [JsonPropertyName("subjectName")]
    public required string SubjectName { get; init; }

    /// <summary>The study folder, relative to the data lake (<c>pathInDatalake</c>, at most 256 characters).</summary>
    [JsonPropertyName("pathInDatalake")]
    public required string PathInDatalake { get; init; }

    /// <summary>The series selected in the study (<c>series</c>); series missing from the lake are pruned.</summary>
    [JsonPropertyName("series")]
    public IReadOnlyList<SelectedSeries> Series { get; init; } = [];

    /// <summary>Link to the study in the case explorer (<c>url</c>, at most 256 characters).</summary>
    [JsonPropertyName("url")]
    public string Url { get; init; } = "";
}

/// <summary>A series selected in a study (<c>Series</c>).</summary>
/// <param name="FolderName">The series folder inside the study folder (<c>folderName</c>).</param>
/// <param name="Tags">Tags given to the series (<c>tags</c>).</param>
public sealed record SelectedSeries(
    [property: JsonPropertyName("folderName")] string FolderName,
    [property: JsonPropertyName("tags")] IReadOnlyList<string> Tags);

/// <summary>The clinical data of one subject (<c>Subject</c>), an entry of <c>eforms.json</c>.</summary>
/// <param name="SubjectName">The pseudonymous subject (<c>subjectName</c>).</param>
/// <param name="EForm">The subject's electronic form, kept as given (<c>eForm</c>).</param>
public sealed record SubjectEform(
    [property: JsonPropertyName("subjectName")] string SubjectName,
    [property: JsonPropertyName("eForm")] JsonElement EForm);
