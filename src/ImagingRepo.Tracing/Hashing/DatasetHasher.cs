using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace ImagingRepo.Tracing.Hashing;

/// <summary>Options of <see cref="DatasetHasher"/>.</summary>
public sealed class DatasetHasherOptions
{
    /// <summary>Series hashed at once (default: processor count).</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Cache of series digests, keyed by path + size + mtime of every file; null for none.</summary>
    public SeriesDigestCache? Cache { get; set; }
}

/// <summary>
/// Computes a dataset folder's <see cref="DatasetHashTree"/>. When the folder has an <c>index.json</c>
/// (CHAIMELEON index schema), studies and series are taken in its order (<c>path</c> + <c>folderName</c>);
/// otherwise the tree is <c>subject/study/series/files</c>, each level sorted by ordinal name. Files are read
/// in 64 KiB chunks; series are hashed in parallel; symbolic links (subject folders linking into the data
/// lake) are followed.
/// </summary>
public static class DatasetHasher
{
    /// <summary>Chunk size for reading files.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Largest index.json that is parsed.</summary>
    public const long MaxIndexBytes = 256L * 1024 * 1024;

    /// <summary>Computes the hash tree of <paramref name="datasetDirectory"/>.</summary>
    /// <param name="datasetDirectory">The dataset folder.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="DatasetHashException">The folder or its index is not usable; the message says where.</exception>
    public static async Task<DatasetHashTree> ComputeAsync(string datasetDirectory, DatasetHasherOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(datasetDirectory);
        options ??= new DatasetHasherOptions();
        var root = Path.GetFullPath(datasetDirectory);
        if (!Directory.Exists(root)) throw new DatasetHashException($"dataset folder not found: {datasetDirectory}");

        var indexPath = Path.Combine(root, "index.json");
        var eformsPath = Path.Combine(root, "eforms.json");
        var layout = File.Exists(indexPath) ? ReadIndex(root, indexPath) : WalkFolders(root);

        var seriesJobs = new List<(int Study, int Series, string Path)>();
        for (var s = 0; s < layout.Count; s++)
        {
            for (var r = 0; r < layout[s].Series.Count; r++) seriesJobs.Add((s, r, layout[s].Series[r]));
        }

        var seriesDigests = new SeriesDigest[seriesJobs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, seriesJobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = cancellationToken },
            async (i, ct) => seriesDigests[i] = await HashSeriesAsync(root, seriesJobs[i].Path, options.Cache, ct).ConfigureAwait(false))
            .ConfigureAwait(false);

        byte[]? index = File.Exists(indexPath) ? (await HashFilesAsync([indexPath], cancellationToken).ConfigureAwait(false)).Digest : null;
        byte[]? eforms = File.Exists(eformsPath) ? (await HashFilesAsync([eformsPath], cancellationToken).ConfigureAwait(false)).Digest : null;
        return Combine(layout.Select(s => (s.Path, s.Series.Count)).ToList(), seriesDigests, index, eforms);
    }

    /// <summary>
    /// Computes the hash tree of a dataset whose files are read as streams rather than from its folder — the objects of a
    /// store that the dataset folder's links reach only where the store is mounted. The result is the one
    /// <see cref="ComputeAsync(string, DatasetHasherOptions?, CancellationToken)"/> gives over the folder once mounted,
    /// given the studies in the order of <c>index.json</c> and each series' files in ordinal order of their names.
    /// </summary>
    /// <param name="studies">The studies, in the order of <c>index.json</c>.</param>
    /// <param name="index">The bytes of <c>index.json</c>, or null when there is none.</param>
    /// <param name="eforms">The bytes of <c>eforms.json</c>, or null when there is none.</param>
    /// <param name="options">Options, or null for the defaults (<see cref="DatasetHasherOptions.Cache"/> is not used: streams have no modification time).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public static async Task<DatasetHashTree> ComputeFromStreamsAsync(IReadOnlyList<DatasetStreamStudy> studies, ReadOnlyMemory<byte>? index, ReadOnlyMemory<byte>? eforms,
        DatasetHasherOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(studies);
        options ??= new DatasetHasherOptions();
        var seriesJobs = studies.SelectMany(s => s.Series).ToList();
        var seriesDigests = new SeriesDigest[seriesJobs.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, seriesJobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var series = seriesJobs[i];
                var (digest, bytes) = await HashStreamsAsync(series.FileCount, series.OpenFile, ct).ConfigureAwait(false);
                seriesDigests[i] = new SeriesDigest(series.Path, digest, series.FileCount, bytes);
            })
            .ConfigureAwait(false);

        return Combine(studies.Select(s => (s.Path, s.Series.Count)).ToList(), seriesDigests,
            index is { } i ? SHA3_256.HashData(i.Span) : null, eforms is { } e ? SHA3_256.HashData(e.Span) : null);
    }

    /// <summary>Study digests over their series digests (given in study order), and <c>images</c> over the study digests.</summary>
    private static DatasetHashTree Combine(List<(string Path, int SeriesCount)> layout, SeriesDigest[] seriesDigests, byte[]? index, byte[]? eforms)
    {
        var studies = new StudyDigest[layout.Count];
        var next = 0;
        for (var s = 0; s < layout.Count; s++)
        {
            var series = new SeriesDigest[layout[s].SeriesCount];
            using var studyHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA3_256);
            for (var r = 0; r < series.Length; r++)
            {
                series[r] = seriesDigests[next++];
                studyHash.AppendData(series[r].Digest);
            }

            studies[s] = new StudyDigest(layout[s].Path, studyHash.GetHashAndReset(), series);
        }

        using var imagesHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA3_256);
        foreach (var study in studies) imagesHash.AppendData(study.Digest);
        return new DatasetHashTree(imagesHash.GetHashAndReset(), index, eforms, studies);
    }

    private sealed record StudyLayout(string Path, IReadOnlyList<string> Series);

    private static List<StudyLayout> ReadIndex(string root, string indexPath)
    {
        var length = new FileInfo(indexPath).Length;
        if (length > MaxIndexBytes) throw new DatasetHashException($"index.json is {length} bytes; at most {MaxIndexBytes} are read");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new DatasetHashException($"index.json is not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array) throw new DatasetHashException("index.json: the root must be an array of studies");
            var studies = new List<StudyLayout>();
            var i = 0;
            foreach (var study in document.RootElement.EnumerateArray())
            {
                var studyPath = RequireString(study, "path", $"index.json[{i}]");
                var series = new List<string>();
                if (study.TryGetProperty("series", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    var j = 0;
                    foreach (var item in list.EnumerateArray())
                    {
                        var folder = RequireString(item, "folderName", $"index.json[{i}].series[{j}]");
                        series.Add(CheckInside(root, studyPath.TrimEnd('/') + "/" + folder, $"index.json[{i}].series[{j}]"));
                        j++;
                    }
                }

                studies.Add(new StudyLayout(CheckInside(root, studyPath, $"index.json[{i}].path"), series));
                i++;
            }

            return studies;
        }
    }

    private static string RequireString(JsonElement element, string name, string where)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new DatasetHashException($"{where}.{name}: required string missing");
        }

        return value.GetString()!;
    }

    private static string CheckInside(string root, string relative, string where)
    {
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new DatasetHashException($"{where}: \"{relative}\" leaves the dataset folder");
        }

        return relative.Replace('\\', '/').TrimEnd('/');
    }

    private static List<StudyLayout> WalkFolders(string root)
    {
        var studies = new List<StudyLayout>();
        foreach (var subject in SortedDirectories(root))
        {
            foreach (var study in SortedDirectories(subject))
            {
                var series = SortedDirectories(study).Select(s => Path.GetRelativePath(root, s).Replace('\\', '/')).ToList();
                studies.Add(new StudyLayout(Path.GetRelativePath(root, study).Replace('\\', '/'), series));
            }
        }

        return studies;
    }

    private static string[] SortedDirectories(string path)
    {
        var dirs = Directory.GetDirectories(path);
        Array.Sort(dirs, StringComparer.Ordinal);
        return dirs;
    }

    private static async Task<SeriesDigest> HashSeriesAsync(string root, string relative, SeriesDigestCache? cache, CancellationToken cancellationToken)
    {
        var full = Path.Combine(root, relative);
        if (!Directory.Exists(full)) throw new DatasetHashException($"series folder not found: {relative}");
        var files = Directory.GetFiles(full);
        Array.Sort(files, StringComparer.Ordinal);

        SeriesDigestCache.Key? key = null;
        if (cache is not null)
        {
            key = SeriesDigestCache.Key.Of(full, files);
            if (cache.TryGet(key.Value, out var cached)) return cached with { Path = relative };
        }

        var (digest, bytes) = await HashFilesAsync(files, cancellationToken).ConfigureAwait(false);
        var result = new SeriesDigest(relative, digest, files.Length, bytes);
        if (cache is not null) cache.Set(key!.Value, result);
        return result;
    }

    private static Task<(byte[] Digest, long Bytes)> HashFilesAsync(string[] files, CancellationToken cancellationToken) =>
        HashStreamsAsync(files.Length, (i, _) => ValueTask.FromResult<Stream>(
            new FileStream(files[i], FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan)),
            cancellationToken);

    /// <summary>SHA3-256 over the contents of <paramref name="count"/> streams one after the other, read in <see cref="ChunkSize"/> chunks.</summary>
    private static async Task<(byte[] Digest, long Bytes)> HashStreamsAsync(int count, Func<int, CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA3_256);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long total = 0;
        try
        {
            for (var f = 0; f < count; f++)
            {
                var stream = await open(f, cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
                    int read;
                    while ((read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        total += read;
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (hash.GetHashAndReset(), total);
    }
}

/// <summary>A dataset folder cannot be hashed; the message says which file or index entry.</summary>
public sealed class DatasetHashException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetHashException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What and where.</param>
    public DatasetHashException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What and where.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetHashException(string message, Exception innerException) : base(message, innerException) { }
}
