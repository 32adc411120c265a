using ImagingRepo.Service.Creation.Lake;

namespace ImagingRepo.Service.Creation;

/// <summary>One thing wrong with a creation request.</summary>
/// <param name="Field">Where, as a JSON path into the request (<c>studies[3].pathInDatalake</c>).</param>
/// <param name="Message">What is wrong.</param>
public sealed record DatasetCreationProblem(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>
/// The rules a creation request must follow before anything is written: the CHAIMELEON API's length limits, study and
/// series ids unique, and every name that becomes a path — the dataset id, subject names, <c>pathInDatalake</c>, series
/// folders — unable to leave its folder (<see cref="LakePaths"/>). Where paths lead once links are followed is checked
/// against the lake itself (<see cref="DatasetCreationOperations.ValidateAsync"/>).
/// </summary>
public static class DatasetCreationRequestRules
{
    /// <summary>Longest <c>studyId</c>.</summary>
    public const int MaxStudyIdLength = 64;

    /// <summary>Longest <c>studyName</c> and <c>subjectName</c>.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Longest <c>url</c>.</summary>
    public const int MaxUrlLength = 256;

    /// <summary>Every problem of <paramref name="request"/>; empty when it may be created.</summary>
    /// <param name="request">The request.</param>
    public static IReadOnlyList<DatasetCreationProblem> Check(DatasetCreationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<DatasetCreationProblem>();
        void Add(string field, string message) => problems.Add(new DatasetCreationProblem(field, message));

        if (!Guid.TryParseExact(request.DatasetId, "D", out _)) Add("datasetId", "is not a UUID");
        if (string.IsNullOrWhiteSpace(request.AuthorId)) Add("authorId", "is empty");
        if (request.Studies is null || request.Studies.Count == 0)
        {
            Add("studies", "is empty");
            return problems;
        }

        var studyIds = new HashSet<string>(StringComparer.Ordinal);
        var places = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.Studies.Count; i++)
        {
            var study = request.Studies[i];
            var at = $"studies[{i}]";
            if (study is null)
            {
                Add(at, "is null");
                continue;
            }

            if (string.IsNullOrEmpty(study.StudyId) || study.StudyId.Length > MaxStudyIdLength) Add(at + ".studyId", $"must have 1 to {MaxStudyIdLength} characters");
            else if (!studyIds.Add(study.StudyId)) Add(at + ".studyId", $"\"{study.StudyId}\" is selected twice");
            if (study.StudyName is null || study.StudyName.Length > MaxNameLength) Add(at + ".studyName", $"must have at most {MaxNameLength} characters");
            if (study.SubjectName is { Length: > MaxNameLength }) Add(at + ".subjectName", $"must have at most {MaxNameLength} characters");
            else if (LakePaths.ProblemWithName(study.SubjectName) is { } subjectProblem) Add(at + ".subjectName", subjectProblem);
            if (study.Url is null || study.Url.Length > MaxUrlLength) Add(at + ".url", $"must have at most {MaxUrlLength} characters");
            else if (study.Url.Length > 0 && !(Uri.TryCreate(study.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
            {
                Add(at + ".url", "is not an http(s) URL");
            }

            if (LakePaths.ProblemWithPath(study.PathInDatalake) is { } pathProblem)
            {
                Add(at + ".pathInDatalake", pathProblem);
            }
            else if (LakePaths.ProblemWithName(study.SubjectName) is null)
            {
                // two studies of a subject whose lake folders have the same name would need the same link
                var place = study.SubjectName + "/" + LakePaths.LastSegment(study.PathInDatalake);
                if (places.TryGetValue(place, out var other)) Add(at + ".pathInDatalake", $"would be laid out at \"{place}\" like studies[{other}]");
                else places[place] = i;
            }

            CheckSeries(study, at, Add);
        }

        CheckSubjects(request, Add);
        return problems;
    }

    private static void CheckSeries(SelectedStudy study, string at, Action<string, string> add)
    {
        if (study.Series is null)
        {
            add(at + ".series", "is null");
            return;
        }

        var folders = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < study.Series.Count; j++)
        {
            var series = study.Series[j];
            var where = $"{at}.series[{j}]";
            if (series is null)
            {
                add(where, "is null");
                continue;
            }

            if (LakePaths.ProblemWithName(series.FolderName) is { } problem) add(where + ".folderName", problem);
            else if (!folders.Add(series.FolderName)) add(where + ".folderName", $"\"{series.FolderName}\" is selected twice");
            if (series.Tags is null || series.Tags.Any(t => t is null)) add(where + ".tags", "holds null");
        }
    }

    private static void CheckSubjects(DatasetCreationRequest request, Action<string, string> add)
    {
        if (request.Subjects is null)
        {
            add("subjects", "is null");
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Subjects.Count; i++)
        {
            var subject = request.Subjects[i];
            if (subject is null) add($"subjects[{i}]", "is null");
            else if (string.IsNullOrEmpty(subject.SubjectName) || subject.SubjectName.Length > MaxNameLength) add($"subjects[{i}].subjectName", $"must have 1 to {MaxNameLength} characters");
            else if (!names.Add(subject.SubjectName)) add($"subjects[{i}].subjectName", $"\"{subject.SubjectName}\" is given twice");
        }
    }
}
