using System.Text.Json;

namespace ImagingRepo.Service.Creation.Layout;

/// <summary>A study as it will be laid out: its subject folder, the name of its link there, and where the link points.</summary>
/// <param name="Study">The study as selected.</param>
/// <param name="FolderName">The link's name: <c>basename(pathInDatalake)</c>.</param>
/// <param name="LinkTarget">The study folder in the lake.</param>
/// <param name="Series">The series kept after pruning.</param>
internal sealed record PlannedStudy(SelectedStudy Study, string FolderName, string LinkTarget, IReadOnlyList<SelectedSeries> Series)
{
    /// <summary>The study's path in the dataset folder, as <c>index.json</c> gives it.</summary>
    public string Path => Study.SubjectName + "/" + FolderName;
}

/// <summary>
/// A dataset's folder, never a copy of its images: <c>&lt;datasets&gt;/&lt;id&gt;/&lt;subjectName&gt;/&lt;basename(pathInDatalake)&gt;</c>
/// are symbolic links to the lake's study folders, beside <c>index.json</c> and <c>eforms.json</c>. The folder is built
/// under a hidden staging name and renamed into place once complete, so a dataset folder is never seen half made; every
/// step can run again over what an interrupted run left.
/// </summary>
internal static class DatasetLayout
{
    /// <summary>The index of studies and series (CHAIMELEON's <c>index.schema.json</c>).</summary>
    public const string IndexFileName = "index.json";

    /// <summary>The subjects' clinical data (CHAIMELEON's <c>eforms.schema.json</c>).</summary>
    public const string EformsFileName = "eforms.json";

    // Only the service enters the dataset folder until access is granted to a group (POSIX ACL); subject folders let
    // through whoever reaches them, as the CHAIMELEON layout has it.
    private const UnixFileMode DatasetFolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode SubjectFolderMode = DatasetFolderMode | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static string FinalFolder(string datasetsRoot, string datasetId) => Path.Join(datasetsRoot, datasetId);

    public static string StagingFolder(string datasetsRoot, string datasetId) => Path.Join(datasetsRoot, "." + datasetId + ".creating");

    /// <summary>The folder to build in: the finished one when an earlier run got that far, else the staging one (created).</summary>
    public static string OpenFolder(string datasetsRoot, string datasetId)
    {
        var final = FinalFolder(datasetsRoot, datasetId);
        if (Directory.Exists(final)) return final;
        var staging = StagingFolder(datasetsRoot, datasetId);
        CreateFolder(staging, DatasetFolderMode);
        return staging;
    }

    /// <summary>Renames the staging folder into place; returns the dataset's folder.</summary>
    public static string Publish(string datasetsRoot, string datasetId, string folder)
    {
        var final = FinalFolder(datasetsRoot, datasetId);
        if (folder != final) Directory.Move(folder, final);
        return final;
    }

    /// <summary>Removes what a creation laid out (links only: the lake is never touched).</summary>
    public static void Remove(string datasetsRoot, string datasetId)
    {
        foreach (var folder in new[] { StagingFolder(datasetsRoot, datasetId), FinalFolder(datasetsRoot, datasetId) })
        {
            // a recursive delete removes symbolic links, it does not follow them
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Lays the studies out in <paramref name="folder"/>: subject folders, links (an existing link to another target is
    /// replaced), both JSON files written whole; links and temporary files no longer wanted are removed.
    /// </summary>
    /// <exception cref="DatasetCreationException">A study's place is taken by something that is not a link.</exception>
    public static async Task WriteAsync(string folder, IReadOnlyList<PlannedStudy> studies, ReadOnlyMemory<byte> index, ReadOnlyMemory<byte> eforms, CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var study in studies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var subject = study.Study.SubjectName;
            var subjectFolder = Path.Join(folder, subject);
            if (!wanted.TryGetValue(subject, out var links))
            {
                wanted[subject] = links = new HashSet<string>(StringComparer.Ordinal);
                if (new FileInfo(subjectFolder).LinkTarget is not null) File.Delete(subjectFolder);
                CreateFolder(subjectFolder, SubjectFolderMode);
            }

            links.Add(study.FolderName);
            Link(Path.Join(subjectFolder, study.FolderName), study.LinkTarget, study.Path);
        }

        RemoveUnwanted(folder, wanted);
        await AtomicFile.WriteAsync(Path.Join(folder, IndexFileName), index, cancellationToken);
        await AtomicFile.WriteAsync(Path.Join(folder, EformsFileName), eforms, cancellationToken);
    }

    /// <summary>The bytes of <c>index.json</c>: <c>[{studyId, studyName, subjectName, path, series: [{folderName, tags}], url}]</c>.</summary>
    public static byte[] Index(IReadOnlyList<PlannedStudy> studies)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartArray();
            foreach (var study in studies)
            {
                json.WriteStartObject();
                json.WriteString("studyId", study.Study.StudyId);
                json.WriteString("studyName", study.Study.StudyName);
                json.WriteString("subjectName", study.Study.SubjectName);
                json.WriteString("path", study.Path);
                json.WriteStartArray("series");
                foreach (var series in study.Series)
                {
                    json.WriteStartObject();
                    json.WriteString("folderName", series.FolderName);
                    json.WriteStartArray("tags");
                    foreach (var tag in series.Tags) json.WriteStringValue(tag);
                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("url", study.Study.Url);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    /// <summary>The bytes of <c>eforms.json</c>: <c>[{subjectName, eForm}]</c>, each eForm as given.</summary>
    public static byte[] Eforms(IReadOnlyList<SubjectEform> subjects)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var subject in subjects)
            {
                json.WriteStartObject();
                json.WriteString("subjectName", subject.SubjectName);
                json.WritePropertyName("eForm");
                if (subject.EForm.ValueKind == JsonValueKind.Undefined) json.WriteNullValue();
                else subject.EForm.WriteTo(json);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }

    private static void Link(string link, string target, string where)
    {
        var existing = new FileInfo(link);
        if (existing.LinkTarget is { } current)
        {
            if (current == target) return;
            File.Delete(link); // the link itself, never what it points at
        }
        else if (existing.Exists || Directory.Exists(link))
        {
            throw new DatasetCreationException($"{where}: the dataset folder already holds something there that is not a link to the study");
        }

        File.CreateSymbolicLink(link, target);
    }

    private static void RemoveUnwanted(string folder, Dictionary<string, HashSet<string>> wanted)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry.Name is IndexFileName or EformsFileName) continue;
            if (AtomicFile.IsTemp(entry.Name) || entry.LinkTarget is not null)
            {
                entry.Delete();
            }
            else if (entry is DirectoryInfo subject)
            {
                wanted.TryGetValue(entry.Name, out var links);
                foreach (var child in subject.EnumerateFileSystemInfos())
                {
                    if (child.LinkTarget is not null && links?.Contains(child.Name) != true) child.Delete();
                }

                if (links is null && !subject.EnumerateFileSystemInfos().Any()) subject.Delete();
            }
        }
    }

    private static void CreateFolder(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, mode);
    }
}
