using System.Text.Json;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>
/// A dataset as a job or notebook inside the platform sees it: a read-only folder (<c>~/datasets/ID</c>) whose
/// <c>index.json</c> lists the studies and selected series, whose subject folders link into the data lake, and whose
/// <c>eforms.json</c> holds each subject's clinical form. Opening reads <c>index.json</c> only; the clinical forms are
/// read on first use and each series' files listed on first use. Nothing is ever copied.
/// </summary>
public sealed class DatasetFolder
{
    /// <summary>The index file's name.</summary>
    public const string IndexFileName = "index.json";

    /// <summary>The clinical data file's name.</summary>
    public const string EformsFileName = "eforms.json";

    private readonly Lazy<IReadOnlyDictionary<string, DatasetSubject>> _subjects;

    private DatasetFolder(string fullPath, List<IndexStudyEntry> index)
    {
        FullPath = fullPath;
        var studies = new List<DatasetStudy>(index.Count);
        for (var i = 0; i < index.Count; i++)
        {
            var entry = index[i];
            var where = $"{IndexFileName}[{i}]";
            var series = new List<(string, IReadOnlyList<string>)>();
            for (var j = 0; j < (entry.Series?.Count ?? 0); j++)
            {
                var item = entry.Series![j];
                series.Add((CheckRelative(Require(item.FolderName, $"{where}.series[{j}].folderName"), $"{where}.series[{j}].folderName"),
                    item.Tags ?? []));
            }

            studies.Add(new DatasetStudy(this,
                Require(entry.StudyId, where + ".studyId"),
                Require(entry.StudyName, where + ".studyName"),
                Require(entry.SubjectName, where + ".subjectName"),
                CheckRelative(Require(entry.Path, where + ".path"), where + ".path"),
                Uri.TryCreate(entry.Url, UriKind.Absolute, out var url) ? url : null,
                series));
        }

        Studies = studies;
        _subjects = new Lazy<IReadOnlyDictionary<string, DatasetSubject>>(ReadEforms);
    }

    /// <summary>The dataset folder's absolute path.</summary>
    public string FullPath { get; }

    /// <summary>The dataset id: the folder's name.</summary>
    public string Id => Path.GetFileName(FullPath.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The studies in index order.</summary>
    public IReadOnlyList<DatasetStudy> Studies { get; }

    /// <summary>Every selected series of every study, in index order.</summary>
    public IEnumerable<DatasetSeries> Series => Studies.SelectMany(s => s.Series);

    /// <summary>The subjects of <c>eforms.json</c> by name, read on first use (empty when the file is absent).</summary>
    /// <exception cref="DatasetFolderException"><c>eforms.json</c> is malformed.</exception>
    public IReadOnlyDictionary<string, DatasetSubject> Subjects => _subjects.Value;

    /// <summary>Opens the dataset mounted at <paramref name="path"/>, reading its <c>index.json</c>.</summary>
    /// <param name="path">The dataset folder.</param>
    /// <exception cref="DatasetFolderException">The folder or its index is missing or malformed; the message says where.</exception>
    public static DatasetFolder Open(string path)
    {
        var (full, indexPath) = Locate(path);
        using var stream = OpenIndex(indexPath);
        return new DatasetFolder(full, ParseIndex(() => JsonSerializer.Deserialize(stream, DatasetFolderJsonContext.Default.ListIndexStudyEntry)));
    }

    /// <summary>Opens the dataset mounted at <paramref name="path"/>, reading its <c>index.json</c> asynchronously.</summary>
    /// <param name="path">The dataset folder.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="DatasetFolderException">The folder or its index is missing or malformed; the message says where.</exception>
    public static async Task<DatasetFolder> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var (full, indexPath) = Locate(path);
        var stream = OpenIndex(indexPath);
        await using (stream.ConfigureAwait(false))
        {
            List<IndexStudyEntry>? index;
            try
            {
                index = await JsonSerializer.DeserializeAsync(stream, DatasetFolderJsonContext.Default.ListIndexStudyEntry, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw Malformed(e);
            }

            return new DatasetFolder(full, ParseIndex(() => index));
        }
    }

    /// <summary>The subject named <paramref name="subjectName"/> in <c>eforms.json</c>, or null.</summary>
    /// <param name="subjectName">The pseudonymous subject name.</param>
    public DatasetSubject? FindSubject(string subjectName) => Subjects.GetValueOrDefault(subjectName);

    /// <summary>
    /// Recomputes the dataset's hash tree (SHA3-256 over the series' files, in index order) with the tracing library's
    /// <see cref="DatasetHasher"/>, reading the files in place.
    /// </summary>
    /// <param name="options">Parallelism and digest cache, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public Task<DatasetHashTree> ComputeHashTreeAsync(DatasetHasherOptions? options = null, CancellationToken cancellationToken = default) =>
        DatasetHasher.ComputeAsync(FullPath, options, cancellationToken);

    /// <summary>
    /// Checks the dataset against the hashes its <c>CREATE_DATASET</c> trace recorded: recomputes the hash tree and
    /// lists every resource (<c>index</c>, <c>images</c>, clinical data) that differs. Reads every file once.
    /// </summary>
    /// <param name="creation">The dataset's CREATE_DATASET trace (from the tracer).</param>
    /// <param name="options">Parallelism and digest cache, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<IntegrityCheckResult> VerifyAsync(CreateDatasetTrace creation, DatasetHasherOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(creation);
        var tree = await ComputeHashTreeAsync(options, cancellationToken).ConfigureAwait(false);
        return tree.CompareWith(creation);
    }

    /// <summary>The dataset id and its size.</summary>
    public override string ToString() => $"dataset {Id}: {Studies.Count} studies";

    private static (string Full, string IndexPath) Locate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(full)) throw new DatasetFolderException($"dataset folder not found: {path}");
        var index = Path.Combine(full, IndexFileName);
        if (!File.Exists(index)) throw new DatasetFolderException($"{path} has no {IndexFileName}: not a dataset folder");
        return (full, index);
    }

    private static FileStream OpenIndex(string indexPath)
    {
        var stream = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (stream.Length > DatasetHasher.MaxIndexBytes)
        {
            stream.Dispose();
            throw new DatasetFolderException($"{IndexFileName} is {stream.Length} bytes; at most {DatasetHasher.MaxIndexBytes} are read");
        }

        return stream;
    }

    private static List<IndexStudyEntry> ParseIndex(Func<List<IndexStudyEntry>?> parse)
    {
        try
        {
            return parse() ?? throw new DatasetFolderException($"{IndexFileName} is null; an array of studies is expected");
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }
    }

    private static DatasetFolderException Malformed(JsonException e) =>
        new($"{IndexFileName} is malformed at line {e.LineNumber + 1} ({e.Path}): {e.Message}", e);

    private static string Require(string? value, string where) =>
        string.IsNullOrEmpty(value) ? throw new DatasetFolderException($"{where}: required string missing") : value;

    private static string CheckRelative(string value, string where)
    {
        var normalized = value.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Split('/').Any(s => s == ".."))
        {
            throw new DatasetFolderException($"{where}: \"{value}\" leaves the dataset folder");
        }

        return normalized.TrimEnd('/');
    }

    private Dictionary<string, DatasetSubject> ReadEforms()
    {
        var path = Path.Combine(FullPath, EformsFileName);
        if (!File.Exists(path)) return new Dictionary<string, DatasetSubject>(StringComparer.Ordinal);
        List<EformEntry>? entries;
        try
        {
            using var stream = File.OpenRead(path);
            entries = JsonSerializer.Deserialize(stream, DatasetFolderJsonContext.Default.ListEformEntry);
        }
        catch (JsonException e)
        {
            throw new DatasetFolderException($"{EformsFileName} is malformed at line {e.LineNumber + 1} ({e.Path}): {e.Message}", e);
        }

        var subjects = new Dictionary<string, DatasetSubject>(StringComparer.Ordinal);
        for (var i = 0; i < (entries?.Count ?? 0); i++)
        {
            var name = Require(entries![i].SubjectName, $"{EformsFileName}[{i}].subjectName");
            subjects[name] = new DatasetSubject(name, entries[i].EForm.Clone());
        }

        return subjects;
    }
}
