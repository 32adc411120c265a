using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Storage;

/// <summary>
/// Uploads a folder tree (a study, a subject, a whole export) to an <see cref="IDataLakeStorage"/> under a key prefix:
/// several files at once, each streamed from disk, each hashed (SHA-256) first. A rerun after an interruption resumes:
/// the prefix is listed once and only files whose key is present with the same size are checked with a HEAD, so
/// finished objects are not sent again. A file that fails is reported with its reason; the others go on.
/// </summary>
public sealed partial class DataLakeFolderUploader
{
    private readonly IDataLakeStorage _storage;
    private readonly FolderUploadOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the uploader.</summary>
    /// <param name="storage">The lake.</param>
    /// <param name="options">Concurrency and resume settings, or null for the defaults.</param>
    /// <param name="logger">The log, or null for none.</param>
    public DataLakeFolderUploader(IDataLakeStorage storage, FolderUploadOptions? options = null, ILogger<DataLakeFolderUploader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _options = options ?? new FolderUploadOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Uploads every file under <paramref name="folder"/> to <c>keyPrefix + relative path</c>.</summary>
    /// <param name="folder">The local folder.</param>
    /// <param name="keyPrefix">The key prefix, e.g. <c>subject-1/study-1/</c>; empty for the lake's root.</param>
    /// <param name="progress">Told after each file, or null.</param>
    /// <param name="cancellationToken">Stops the upload; files already stored stay, and a rerun skips them.</param>
    /// <returns>What became of each file.</returns>
    public async Task<FolderUploadReport> UploadAsync(string folder, string keyPrefix, IProgress<FolderUploadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"upload folder not found: {folder}");

        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
            .Select(path => (Path: path, Key: keyPrefix + Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/'), Length: new FileInfo(path).Length))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();

        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_options.SkipStored)
        {
            await foreach (var item in _storage.ListAsync(keyPrefix, cancellationToken).ConfigureAwait(false)) stored[item.Key] = item.Length;
        }

        var results = new FolderUploadItem[files.Count];
        var bytesTotal = files.Sum(f => f.Length);
        long bytesDone = 0;
        var filesDone = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxConcurrency), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (path, key, length) = files[i];
                var result = await UploadOneAsync(path, key, length, stored.TryGetValue(key, out var storedLength) && storedLength == length, ct)
                    .ConfigureAwait(false);
                results[i] = result;
                var done = Interlocked.Increment(ref filesDone);
                var bytes = Interlocked.Add(ref bytesDone, length);
                progress?.Report(new FolderUploadProgress(done, files.Count, bytes, bytesTotal, result));
            }).ConfigureAwait(false);

        var report = new FolderUploadReport(results);
        Log.Finished(_logger, root, keyPrefix, report.Uploaded, report.AlreadyStored, report.Failures.Count);
        return report;
    }

    private async Task<FolderUploadItem> UploadOneAsync(string path, string key, long length, bool maybeStored, CancellationToken cancellationToken)
    {
        string? sha256 = null;
        try
        {
            sha256 = await Sha256Hashing.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (maybeStored)
            {
                var info = await _storage.GetObjectInfoAsync(key, cancellationToken).ConfigureAwait(false);
                if (info is not null && info.Length == length && info.Sha256 == sha256)
                {
                    return new FolderUploadItem(key, path, FolderUploadOutcome.AlreadyStored, length, sha256, null);
                }
            }

            await _storage.UploadFileAsync(key, path, sha256, cancellationToken).ConfigureAwait(false);
            return new FolderUploadItem(key, path, FolderUploadOutcome.Uploaded, length, sha256, null);
        }
        catch (Exception e) when (e is not OperationCanceledException && e is IOException or UnauthorizedAccessException or DataLakeException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            Log.FileFailed(_logger, key, e.Message);
            return new FolderUploadItem(key, path, FolderUploadOutcome.Failed, length, sha256, e.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Uploaded {Folder} to {Prefix}: {Uploaded} sent, {AlreadyStored} already stored, {Failed} failed")]
        public static partial void Finished(ILogger logger, string folder, string prefix, int uploaded, int alreadyStored, int failed);

        [LoggerMessage(2, LogLevel.Warning, "Upload of {Key} failed: {Reason}")]
        public static partial void FileFailed(ILogger logger, string key, string reason);
    }
}
