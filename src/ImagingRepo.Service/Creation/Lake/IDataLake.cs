namespace ImagingRepo.Service.Creation.Lake;

/// <summary>
/// The data lake as dataset creation sees it: study folders found by their <c>pathInDatalake</c>, series folders and
/// their files listed, files read. Every path is checked to stay inside the lake — after following symbolic links — and
/// a path that leaves it raises <see cref="DataLakePathException"/>. A local folder (<see cref="LocalFolderDataLake"/>)
/// is the default; an object store can take its place.
/// </summary>
public interface IDataLake
{
    /// <summary>
    /// The study folder at <paramref name="pathInDatalake"/>, or null when there is none.
    /// </summary>
    /// <param name="pathInDatalake">The study's path relative to the lake.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DataLakePathException">The path is malformed or leads out of the lake.</exception>
    ValueTask<DataLakeStudy?> FindStudyAsync(string pathInDatalake, CancellationToken cancellationToken = default);

    /// <summary>
    /// The files of one series folder of <paramref name="study"/>, in ordinal order of their names, or null when the
    /// folder does not exist.
    /// </summary>
    /// <param name="study">A study found by <see cref="FindStudyAsync"/>.</param>
    /// <param name="folderName">The series folder's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="DataLakePathException">The name is malformed, or the folder or one of its files leads out of the lake.</exception>
    ValueTask<DataLakeSeries?> FindSeriesAsync(DataLakeStudy study, string folderName, CancellationToken cancellationToken = default);

    /// <summary>Opens a file listed by <see cref="FindSeriesAsync"/> for reading.</summary>
    /// <param name="file">The file.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<Stream> OpenReadAsync(DataLakeFile file, CancellationToken cancellationToken = default);
}

/// <summary>A study folder in the data lake.</summary>
/// <param name="PathInDatalake">The path it was asked by, without a trailing slash.</param>
/// <param name="LinkTarget">
/// What a dataset's link to the study points at: the lake's configured root joined with the study's real path inside the
/// lake (so the link keeps working where the lake is mounted at the same path, and never follows a link the lake may
/// later change).
/// </param>
public sealed record DataLakeStudy(string PathInDatalake, string LinkTarget);

/// <summary>A series folder and its files.</summary>
/// <param name="FolderName">The folder's name inside its study.</param>
/// <param name="Files">Its files, in ordinal order of their names (sub-folders are not part of a series).</param>
public sealed record DataLakeSeries(string FolderName, IReadOnlyList<DataLakeFile> Files);

/// <summary>A file of a series.</summary>
/// <param name="Name">The file's name.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Location">Where the lake finds it again (for a local folder: its full path).</param>
public sealed record DataLakeFile(string Name, long Length, string Location);

/// <summary>A path named in a creation request is malformed or leads out of the data lake; the message says which and why.</summary>
public sealed class DataLakePathException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataLakePathException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which path and why.</param>
    public DataLakePathException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which path and why.</param>
    /// <param name="innerException">The cause.</param>
    public DataLakePathException(string message, Exception innerException) : base(message, innerException) { }
}
