using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Client.Datasets;

/// <summary>A series selected for a dataset (<c>Series</c>).</summary>
public sealed record Series
{
    /// <summary>The series folder's name within the study folder (<c>folderName</c>).</summary>
    public string? FolderName { get; init; }

    /// <summary>The series' tags, e.g. <c>Axial</c>, <c>T2W</c> (<c>tags</c>).</summary>
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>A study of a dataset (<c>Study</c>).</summary>
public sealed record Study
{
    /// <summary>The study's id in the case explorer (<c>studyId</c>).</summary>
    public string? StudyId { get; init; }

    /// <summary>The study's name (<c>studyName</c>).</summary>
    public string? StudyName { get; init; }

    /// <summary>The pseudonymous subject name (<c>subjectName</c>).</summary>
    public string? SubjectName { get; init; }

    /// <summary>The series selected for the dataset (<c>series</c>).</summary>
    public IReadOnlyList<Series>? Series { get; init; }

    /// <summary>The study in the case explorer (<c>url</c>).</summary>
    public string? Url { get; init; }

    /// <summary>The size of the selected series' files (<c>sizeInBytes</c>); null until the metadata is collected.</summary>
    public long? SizeInBytes { get; init; }
}

/// <summary>A study to put in a new dataset (<c>StudyCreationObject</c>).</summary>
public sealed record StudyCreation
{
    /// <summary>The study's id in the case explorer (<c>studyId</c>).</summary>
    public string? StudyId { get; init; }

    /// <summary>The study's name (<c>studyName</c>).</summary>
    public string? StudyName { get; init; }

    /// <summary>The pseudonymous subject name, with an entry in the request's subjects (<c>subjectName</c>).</summary>
    public string? SubjectName { get; init; }

    /// <summary>The study folder in the data lake, e.g. <c>user/SUBJECT_trial/STUDY20150129</c> (<c>pathInDatalake</c>).</summary>
    public string? PathInDatalake { get; init; }

    /// <summary>The series to include (<c>series</c>): later series of the study stay out.</summary>
    public IReadOnlyList<Series>? Series { get; init; }

    /// <summary>The study in the case explorer (<c>url</c>).</summary>
    public string? Url { get; init; }
}

/// <summary>A subject and its clinical data (<c>Subject</c>).</summary>
public sealed record Subject
{
    /// <summary>The pseudonymous subject name (<c>subjectName</c>).</summary>
    public string? SubjectName { get; init; }

    /// <summary>The case explorer's id of the subject (<c>subjectId</c>).</summary>
    public string? SubjectId { get; init; }

    /// <summary>The clinical form (<c>eForm</c>).</summary>
    [JsonPropertyName("eForm")]
    public JsonElement? EForm { get; init; }
}
