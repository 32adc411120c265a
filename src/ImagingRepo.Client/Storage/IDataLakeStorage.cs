namespace ImagingRepo.Client.Storage;

/// <summary>
/// The data lake where de-identified study folders live: objects named by a relative key
/// (<c>subject/study/series/file.dcm</c>), each with its SHA-256 kept beside it (object metadata on S3, a side record on
/// a local folder) so that every read can be checked end to end. Implemented over S3 (<see cref="S3DataLakeStorage"/>,
/// Ceph RGW first) and a local folder (<see cref="LocalFolderDataLakeStorage"/>, the embedded default).
/// </summary>
public interface IDataLakeStorage
{
    /// <summary>Size and recorded SHA-256 of an object without reading it (an S3 HEAD), or null when it does not exist.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<DataLakeObject?> GetObjectInfoAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the file at <paramref name="path"/> as <paramref name="key"/>, replacing an object of that key.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="path">The local file.</param>
    /// <param name="sha256">The file's SHA-256 (lower-case hex) when the caller already has it; null to compute it.</param>
    /// <param name="cancellationToken">Cancels the upload; a large upload's finished parts are kept for a resumed run.</param>
    /// <returns>The stored object.</returns>
    Task<DataLakeObject> UploadFileAsync(string key, string path, string? sha256 = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens an object for reading. The stream checks the SHA-256 as it is read and throws
    /// <see cref="DataLakeIntegrityException"/> at the end when the content does not match the recorded one.
    /// </summary>
    /// <param name="key">The object key.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="DataLakeObjectNotFoundException">No object has this key.</exception>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Downloads an object to <paramref name="path"/> through a temporary file that is renamed into place only when its
    /// SHA-256 matches the recorded one.
    /// </summary>
    /// <param name="key">The object key.</param>
    /// <param name="path">The local file to write.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="DataLakeIntegrityException">The content does not match its recorded SHA-256; nothing is written.</exception>
    /// <exception cref="DataLakeObjectNotFoundException">No object has this key.</exception>
    Task<DataLakeObject> DownloadFileAsync(string key, string path, CancellationToken cancellationToken = default);

    /// <summary>The objects whose key starts with <paramref name="prefix"/>, in key order, page by page (no SHA-256: listings carry none).</summary>
    /// <param name="prefix">The key prefix, e.g. <c>subject-1/</c>; empty for all.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    IAsyncEnumerable<DataLakeObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Deletes an object; deleting one that does not exist is not an error.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
