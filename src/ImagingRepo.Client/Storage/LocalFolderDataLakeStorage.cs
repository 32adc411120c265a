using System.Runtime.CompilerServices;

namespace ImagingRepo.Client.Storage;

/// <summary>
/// A data lake in a local folder (the embedded default, and a mounted lake inside the platform): an object is the
/// file <c>ROOT/KEY</c>, its SHA-256 a small record under <c>ROOT/.imagingrepo/sha256/KEY</c> so that the study folders
/// themselves hold only DICOM files. Files and records are written to a temporary file and renamed into place.
/// </summary>
public sealed class LocalFolderDataLakeStorage : IDataLakeStorage
{
    /// <summary>The folder under the root that holds the SHA-256 records; it is never listed as objects.</summary>
    public const string MetadataFolder = ".imagingrepo";

    private readonly string _root;
    private readonly string _records;

    /// <summary>Creates the lake over <paramref name="root"/> (created when missing).</summary>
    /// <param name="root">The lake's root folder.</param>
    public LocalFolderDataLakeStorage(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
        _records = Path.Combine(_root, MetadataFolder, "sha256");
        Directory.CreateDirectory(_root);
    }

    /// <summary>The lake's root folder.</summary>
    public string Root => _root;

    /// <inheritdoc />
    public async Task<DataLakeObject?> GetObjectInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(ObjectPath(key));
        if (!file.Exists) return null;
        return new DataLakeObject(key, file.Length, await ReadRecordAsync(key, cancellationToken).ConfigureAwait(false), file.LastWriteTimeUtc);
    }

    /// <inheritdoc />
    public async Task<DataLakeObject> UploadFileAsync(string key, string path, string? sha256 = null, CancellationToken cancellationToken = default)
    {
        var target = ObjectPath(key);
        ArgumentException.ThrowIfNullOrEmpty(path);
        sha256 ??= await Sha256Hashing.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = TemporaryBeside(target);
        try
        {
            var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (source.ConfigureAwait(false))
            {
                var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
                await using (copy.ConfigureAwait(false))
                {
                    await source.CopyToAsync(copy, 1024 * 1024, cancellationToken).ConfigureAwait(false);
                }
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }

        // The record is written after the object: a crash between the two leaves an object without (or with an older)
        // record, which a resumed upload treats as not yet stored.
        await WriteRecordAsync(key, sha256, cancellationToken).ConfigureAwait(false);
        var written = new FileInfo(target);
        return new DataLakeObject(key, written.Length, sha256, written.LastWriteTimeUtc);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = ObjectPath(key);
        if (!File.Exists(file)) throw DataLakeObjectNotFoundException.ForKey(key, null);
        var expected = await ReadRecordAsync(key, cancellationToken).ConfigureAwait(false);
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return new VerifyingReadStream(stream, key, expected);
    }

    /// <inheritdoc />
    public async Task<DataLakeObject> DownloadFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        var stream = await OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await DataLakeKeys.DownloadViaTemporaryFileAsync(stream, path, cancellationToken).ConfigureAwait(false);
        }

        return (await GetObjectInfoAsync(key, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataLakeObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        // Walk only the folder the prefix names, not the whole lake.
        var lastSlash = prefix.LastIndexOf('/');
        var start = lastSlash < 0 ? _root : Path.Combine(_root, prefix[..lastSlash]);
        if (!Directory.Exists(start)) yield break;
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(start, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var key = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (key.StartsWith(MetadataFolder + "/", StringComparison.Ordinal) || !key.StartsWith(prefix, StringComparison.Ordinal)) continue;
            if (Path.GetFileName(key).StartsWith('.') && key.EndsWith(".part", StringComparison.Ordinal)) continue;
            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(Path.Combine(_root, key));
            if (info.Exists) yield return new DataLakeObject(key, info.Length, null, info.LastWriteTimeUtc);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        // File.Delete ignores a missing file but not a missing folder.
        foreach (var path in new[] { ObjectPath(key), RecordPath(key) })
        {
            if (File.Exists(path)) File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string ObjectPath(string key)
    {
        DataLakeKeys.Check(key);
        if (key == MetadataFolder || key.StartsWith(MetadataFolder + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"data lake key \"{key}\" is inside the lake's metadata folder", nameof(key));
        }

        return Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar));
    }

    private string RecordPath(string key) => Path.Combine(_records, key.Replace('/', Path.DirectorySeparatorChar));

    private async Task<string?> ReadRecordAsync(string key, CancellationToken cancellationToken)
    {
        var record = RecordPath(key);
        return File.Exists(record) ? (await File.ReadAllTextAsync(record, cancellationToken).ConfigureAwait(false)).Trim() : null;
    }

    private async Task WriteRecordAsync(string key, string sha256, CancellationToken cancellationToken)
    {
        var record = RecordPath(key);
        Directory.CreateDirectory(Path.GetDirectoryName(record)!);
        var temporary = TemporaryBeside(record);
        try
        {
            await File.WriteAllTextAsync(temporary, sha256, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, record, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string TemporaryBeside(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".part");
}
