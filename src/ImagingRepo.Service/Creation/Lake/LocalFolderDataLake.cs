namespace ImagingRepo.Service.Creation.Lake;

/// <summary>
/// The data lake in a local (or mounted) folder, laid out <c>&lt;user&gt;/&lt;subject&gt;/&lt;study&gt;/&lt;series&gt;/&lt;files&gt;</c>
/// or any other way the requests name. Every path a request names is resolved segment by segment; a segment that is a
/// symbolic link must lead to a place inside the lake, and so must every file of a selected series that is a link.
/// </summary>
public sealed class LocalFolderDataLake : IDataLake
{
    private readonly string _realRoot;

    /// <summary>Opens the lake at <paramref name="root"/>.</summary>
    /// <param name="root">The lake's folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public LocalFolderDataLake(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(Root)) throw new DirectoryNotFoundException($"data lake folder not found: {root}");
        _realRoot = RealPath.Resolve(Root);
    }

    /// <summary>The lake's folder, as configured (links to studies start with it).</summary>
    public string Root { get; }

    /// <inheritdoc />
    public ValueTask<DataLakeStudy?> FindStudyAsync(string pathInDatalake, CancellationToken cancellationToken = default)
    {
        if (LakePaths.ProblemWithPath(pathInDatalake) is { } problem)
        {
            throw new DataLakePathException($"pathInDatalake \"{pathInDatalake}\" {problem}");
        }

        var relative = LakePaths.Normalize(pathInDatalake);
        var real = ResolveInside(_realRoot, relative, $"pathInDatalake \"{pathInDatalake}\"");
        if (real is null || !Directory.Exists(real)) return ValueTask.FromResult<DataLakeStudy?>(null);
        var inside = Path.GetRelativePath(_realRoot, real);
        return ValueTask.FromResult<DataLakeStudy?>(new DataLakeStudy(relative, inside == "." ? Root : Path.Join(Root, inside)));
    }

    /// <inheritdoc />
    public ValueTask<DataLakeSeries?> FindSeriesAsync(DataLakeStudy study, string folderName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(study);
        var where = $"series \"{folderName}\" of \"{study.PathInDatalake}\"";
        if (LakePaths.ProblemWithName(folderName) is { } problem) throw new DataLakePathException($"{where}: the folder name {problem}");

        var studyReal = Path.Join(_realRoot, Path.GetRelativePath(Root, study.LinkTarget));
        var real = ResolveInside(studyReal, folderName, where);
        if (real is null || !Directory.Exists(real)) return ValueTask.FromResult<DataLakeSeries?>(null);

        var files = new List<DataLakeFile>();
        foreach (var file in new DirectoryInfo(real).EnumerateFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((file.Attributes & FileAttributes.ReparsePoint) != 0)
            {
                var target = RealPathOrThrow(file.FullName, where);
                if (!IsInside(target)) throw new DataLakePathException($"{where}: file \"{file.Name}\" is a symbolic link out of the data lake");
                if (!File.Exists(target)) continue; // a dangling link is no file of the series
            }

            files.Add(new DataLakeFile(file.Name, file.Length, file.FullName));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ValueTask.FromResult<DataLakeSeries?>(new DataLakeSeries(folderName, files));
    }

    /// <inheritdoc />
    public ValueTask<Stream> OpenReadAsync(DataLakeFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return ValueTask.FromResult<Stream>(new FileStream(file.Location, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 16 * 1024));
    }

    /// <summary>
    /// Walks <paramref name="relative"/> from the real folder <paramref name="start"/>: the real path it names, or null
    /// when a segment does not exist. A segment that is a link must resolve inside the lake.
    /// </summary>
    private string? ResolveInside(string start, string relative, string where)
    {
        var current = start;
        var walked = "";
        foreach (var segment in relative.Split('/'))
        {
            walked = walked.Length == 0 ? segment : walked + "/" + segment;
            var next = Path.Join(current, segment);
            var info = new FileInfo(next);
            if (info.LinkTarget is null)
            {
                if (!Directory.Exists(next)) return null;
                current = next;
                continue;
            }

            var target = RealPathOrThrow(next, where);
            if (!IsInside(target)) throw new DataLakePathException($"{where} leads out of the data lake through the symbolic link \"{walked}\"");
            current = target;
        }

        return current;
    }

    private bool IsInside(string realPath) =>
        realPath == _realRoot || realPath.StartsWith(_realRoot + "/", StringComparison.Ordinal);

    private static string RealPathOrThrow(string path, string where)
    {
        try
        {
            return RealPath.Resolve(path);
        }
        catch (IOException e)
        {
            throw new DataLakePathException($"{where}: {e.Message}", e);
        }
    }
}
