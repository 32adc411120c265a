namespace ImagingRepo.Client.Storage;

/// <summary>What became of one file of a folder upload.</summary>
public enum FolderUploadOutcome
{
    /// <summary>Sent to the lake.</summary>
    Uploaded,

    /// <summary>Not sent: the lake already holds it with the same size and SHA-256 (a resumed run).</summary>
    AlreadyStored,

    /// <summary>Not stored; <see cref="FolderUploadItem.Reason"/> says why.</summary>
    Failed,
}

/// <summary>One file of a folder upload.</summary>
/// <param name="Key">The object key.</param>
/// <param name="Path">The local file.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Sha256">Its SHA-256 (lower-case hex), or null when it could not be read.</param>
/// <param name="Reason">Why it failed, or null.</param>
public sealed record FolderUploadItem(string Key, string Path, FolderUploadOutcome Outcome, long Length, string? Sha256, string? Reason);

/// <summary>Progress of a folder upload, reported after each file.</summary>
/// <param name="FilesDone">Files finished (sent, found stored, or failed).</param>
/// <param name="FilesTotal">Files in the folder.</param>
/// <param name="BytesDone">Bytes of the finished files.</param>
/// <param name="BytesTotal">Bytes of all files.</param>
/// <param name="Last">The file that just finished.</param>
public sealed record FolderUploadProgress(int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, FolderUploadItem Last);

/// <summary>The per-file account of a folder upload.</summary>
/// <param name="Items">Every file, in key order.</param>
public sealed record FolderUploadReport(IReadOnlyList<FolderUploadItem> Items)
{
    /// <summary>Files sent.</summary>
    public int Uploaded => Items.Count(i => i.Outcome == FolderUploadOutcome.Uploaded);

    /// <summary>Files found already stored.</summary>
    public int AlreadyStored => Items.Count(i => i.Outcome == FolderUploadOutcome.AlreadyStored);

    /// <summary>Files that failed.</summary>
    public IReadOnlyList<FolderUploadItem> Failures => [.. Items.Where(i => i.Outcome == FolderUploadOutcome.Failed)];

    /// <summary>Bytes sent.</summary>
    public long BytesUploaded => Items.Where(i => i.Outcome == FolderUploadOutcome.Uploaded).Sum(i => i.Length);

    /// <summary>True when no file failed.</summary>
    public bool Succeeded => Items.All(i => i.Outcome != FolderUploadOutcome.Failed);
}

/// <summary>Settings of <see cref="DataLakeFolderUploader"/>.</summary>
public sealed class FolderUploadOptions
{
    /// <summary>Files sent at once (default 8).</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Check the lake for each file before sending it and skip those it holds with the same size and SHA-256
    /// (default true): what makes a rerun resume instead of start over.
    /// </summary>
    public bool SkipStored { get; set; } = true;
}
