using System.Runtime.CompilerServices;
using ImagingRepo.Client.Storage;

namespace ImagingRepo.Service.Creation.Lake;

/// <summary>
/// The data lake in an object store — an S3 bucket on Ceph RGW through the Client's <see cref="S3DataLakeStorage"/> —
/// read in the key layout the Client uploads with: <c>[KeyPrefix]&lt;pathInDatalake&gt;/&lt;series&gt;/&lt;file&gt;</c>.
/// A study exists when at least one object lies under <c>&lt;pathInDatalake&gt;/</c>; it is listed once, and its
/// series are the first key segment below it, their files the objects directly in them (deeper objects are not part of
/// a series, as sub-folders are not in a folder lake). Paths and names are checked with the folder lake's rules and
/// messages (<see cref="LakePaths"/>), and an object whose name could not be a file of a mounted series (<c>.</c>,
/// <c>..</c>, a backslash, a control character) makes its series refused. An object store has no symbolic links, so
/// nothing can lead out of the lake once the key is checked. Every object read is checked against the SHA-256 the
/// Client stored with it.
/// </summary>
/// <remarks>
/// The dataset folder still lies on a file system, as CHAIMELEON's does: its study links point at
/// <see cref="LinkRoot"/> joined with <c>pathInDatalake</c>, where the bucket is mounted read-only in the pods that use
/// datasets. This process need not mount it: creation reads the objects through the store.
/// </remarks>
public sealed class ObjectStoreDataLake : IDataLake, IDisposable
{
    private readonly IDataLakeStorage _storage;
    private readonly bool _ownsStorage;
    private readonly ConditionalWeakTable<DataLakeStudy, StudyListing> _listings = [];

    /// <summary>Opens the lake in <paramref name="storage"/>.</summary>
    /// <param name="storage">The object store (keys relative to its own prefix).</param>
    /// <param name="linkRoot">The absolute path where the lake is mounted for the datasets' users; links to studies start with it.</param>
    /// <param name="ownsStorage">Whether <see cref="Dispose"/> disposes <paramref name="storage"/>.</param>
    public ObjectStoreDataLake(IDataLakeStorage storage, string linkRoot, bool ownsStorage = false)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(linkRoot);
        if (!Path.IsPathFullyQualified(linkRoot)) throw new ArgumentException($"the lake's mount path \"{linkRoot}\" must be absolute", nameof(linkRoot));
        _storage = storage;
        _ownsStorage = ownsStorage;
        LinkRoot = linkRoot.Length > 1 ? linkRoot.TrimEnd('/') : linkRoot;
    }

    /// <summary>Where the lake is mounted for the datasets' users.</summary>
    public string LinkRoot { get; }

    /// <inheritdoc />
    public async ValueTask<DataLakeStudy?> FindStudyAsync(string pathInDatalake, CancellationToken cancellationToken = default)
    {
        if (LakePaths.ProblemWithPath(pathInDatalake) is { } problem)
        {
            throw new DataLakePathException($"pathInDatalake \"{pathInDatalake}\" {problem}");
        }

        var relative = LakePaths.Normalize(pathInDatalake);
        var listing = await ListAsync(relative, cancellationToken);
        if (listing is null) return null;
        var study = new DataLakeStudy(relative, LinkRoot == "/" ? "/" + relative : LinkRoot + "/" + relative);
        _listings.AddOrUpdate(study, listing);
        return study;
    }

    /// <inheritdoc />
    public async ValueTask<DataLakeSeries?> FindSeriesAsync(DataLakeStudy study, string folderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        var where = $"series \"{folderName}\" of \"{study.PathInDatalake}\"";
        if (LakePaths.ProblemWithName(folderName) is { } problem) throw new DataLakePathException($"{where}: the folder name {problem}");

        // a study this lake did not find (or one found before its listing was collected) is listed again
        if (!_listings.TryGetValue(study, out var listing))
        {
            if (LakePaths.ProblemWithPath(study.PathInDatalake) is { } pathProblem)
            {
                throw new DataLakePathException($"pathInDatalake \"{study.PathInDatalake}\" {pathProblem}");
            }

            listing = await ListAsync(LakePaths.Normalize(study.PathInDatalake), cancellationToken);
            if (listing is null) return null;
        }

        if (!listing.Series.TryGetValue(folderName, out var files)) return null;
        if (listing.Refused.TryGetValue(folderName, out var refused)) throw new DataLakePathException($"{where}: {refused}");
        return new DataLakeSeries(folderName, files);
    }

    /// <inheritdoc />
    public async ValueTask<Stream> OpenReadAsync(DataLakeFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return await _storage.OpenReadAsync(file.Location, cancellationToken);
    }

    /// <summary>Disposes the store when this lake owns it.</summary>
    public void Dispose()
    {
        if (_ownsStorage && _storage is IDisposable disposable) disposable.Dispose();
    }

    /// <summary>Every object under <c>&lt;study&gt;/</c>, grouped by series folder; null when there is none.</summary>
    private async Task<StudyListing?> ListAsync(string study, CancellationToken cancellationToken)
    {
        var prefix = study + "/";
        var any = false;
        var series = new Dictionary<string, List<DataLakeFile>>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var item in _storage.ListAsync(prefix, cancellationToken))
        {
            any = true;
            var rest = item.Key.AsSpan(prefix.Length);
            var slash = rest.IndexOf('/');
            if (slash <= 0) continue; // an object beside the series folders, or under an empty segment: no series file
            var folder = rest[..slash].ToString();
            var name = rest[(slash + 1)..];
            if (name.IsEmpty || name.Contains('/')) continue; // a folder marker, or in a sub-folder of the series
            if (!series.TryGetValue(folder, out var files)) series[folder] = files = [];
            if (ProblemWithFileName(name) is { } problem)
            {
                refused.TryAdd(folder, $"object \"{item.Key}\" {problem}");
                continue;
            }

            files.Add(new DataLakeFile(name.ToString(), item.Length, item.Key));
        }

        if (!any) return null;
        foreach (var files in series.Values) files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new StudyListing(series.ToDictionary(p => p.Key, p => (IReadOnlyList<DataLakeFile>)p.Value, StringComparer.Ordinal), refused);
    }

    /// <summary>Why an object's last key segment cannot be a file of a series (as a mounted bucket would show it), or null.</summary>
    private static string? ProblemWithFileName(ReadOnlySpan<char> name)
    {
        if (name is "." or "..") return $"has a last segment that is \"{name}\"";
        foreach (var c in name)
        {
            if (c == '\\') return "holds a backslash";
            if (char.IsControl(c)) return "holds a control character";
        }

        return null;
    }

    private sealed record StudyListing(IReadOnlyDictionary<string, IReadOnlyList<DataLakeFile>> Series, IReadOnlyDictionary<string, string> Refused);
}
