using System.Text.Json;
using ImagingRepo.Service.Hosting;

namespace ImagingRepo.Service.Datasets;

/// <summary>
/// Checks a <c>POST /datasets</c> body and turns it into stored records: lengths and values as the v1 spec gives them,
/// subjects unique, every study's subject listed, no two studies of a subject in one folder, study paths inside the
/// data lake, series folders plain names.
/// </summary>
internal static class DatasetCreationRequestReader
{
    public static IReadOnlyList<string> Types { get; } = ["original", "annotated", "processed", "personal-data"];

    public static IReadOnlyList<string> CollectionMethods { get; } = ["patient-based", "cohort", "only-image", "longitudinal", "case-control", "disease-specific"];

    /// <summary>Longest free text accepted (description, provenance, purpose): enough for a page of prose, not a dump.</summary>
    public const int MaxFreeText = 20_000;

    public static (IReadOnlyList<StudyRecord> Studies, IReadOnlyList<SubjectRecord> Subjects) ReadContent(DatasetCreationBody body)
    {
        if (body.Studies is null) throw ServiceProblemException.Invalid("'studies' is required (an array, possibly empty).");
        if (body.Subjects is null) throw ServiceProblemException.Invalid("'subjects' is required (an array, possibly empty).");

        var subjects = new List<SubjectRecord>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < body.Subjects.Count; i++)
        {
            var s = body.Subjects[i] ?? throw ServiceProblemException.Invalid($"'subjects[{i}]' must be an object.");
            var name = InputRules.Required(s.SubjectName, $"subjects[{i}].subjectName", 128);
            if (!names.Add(name)) throw ServiceProblemException.Invalid($"The subjectName '{name}' appears twice in 'subjects'.");
            var eform = s.EForm is { ValueKind: not JsonValueKind.Null } e
                ? e.ValueKind == JsonValueKind.Object ? e.GetRawText() : throw ServiceProblemException.Invalid($"'subjects[{i}].eForm' must be an object.")
                : null;
            subjects.Add(new SubjectRecord(name, InputRules.Optional(s.SubjectId, $"subjects[{i}].subjectId", 32), eform));
        }

        var studies = new List<StudyRecord>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < body.Studies.Count; i++)
        {
            var s = body.Studies[i] ?? throw ServiceProblemException.Invalid($"'studies[{i}]' must be an object.");
            var studyId = InputRules.Required(s.StudyId, $"studies[{i}].studyId", 64);
            var subject = InputRules.Required(s.SubjectName, $"studies[{i}].subjectName", 128);
            if (!names.Contains(subject))
            {
                throw ServiceProblemException.Invalid($"The study '{studyId}' names the subject '{subject}', which is not in 'subjects'.");
            }

            var path = InputRules.LakePath(s.PathInDatalake, $"studies[{i}].pathInDatalake");
            var folder = subject + "/" + path[(path.LastIndexOf('/') + 1)..];
            if (!folders.Add(folder))
            {
                throw ServiceProblemException.Invalid($"The study '{studyId}' would share the folder '{folder}' with another study of the same subject.");
            }

            var series = new List<SeriesEntry>();
            var seriesList = s.Series ?? [];
            for (var j = 0; j < seriesList.Count; j++)
            {
                var se = seriesList[j] ?? throw ServiceProblemException.Invalid($"'studies[{i}].series[{j}]' must be an object.");
                series.Add(new SeriesEntry(InputRules.FolderName(se.FolderName, $"studies[{i}].series[{j}].folderName"),
                    [.. (se.Tags ?? []).Select((t, k) => InputRules.Required(t, $"studies[{i}].series[{j}].tags[{k}]", 64))]));
            }

            studies.Add(new StudyRecord
            {
                StudyId = studyId,
                StudyName = InputRules.Optional(s.StudyName, $"studies[{i}].studyName", 128),
                SubjectName = subject,
                PathInDatalake = path,
                Series = series,
                Url = InputRules.Optional(s.Url, $"studies[{i}].url", 256),
            });
        }

        return (studies, subjects);
    }
}
