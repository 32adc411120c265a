using System.Security.Cryptography;
using ImagingRepo.Client.Storage;

namespace ImagingRepo.Client.Tests.Storage;

/// <summary>What every <see cref="IDataLakeStorage"/> must do; run against each implementation.</summary>
public abstract class DataLakeStorageContract : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("imagingrepo-lake-test-");

    protected string Work => _work.FullName;

    public virtual void Dispose()
    {
        _work.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The lake under test; null skips the test.</summary>
    protected abstract IDataLakeStorage Lake();

    /// <summary>Replaces the stored bytes of <paramref name="key"/> behind the lake's back, keeping its recorded SHA-256.</summary>
    protected abstract Task CorruptAsync(string key, byte[] content);

    [SkippableFact]
    public async Task File_round_trips_with_its_sha256()
    {
        var lake = Lake();
        var source = WriteFile("a.dcm", RandomNumberGenerator.GetBytes(70_001));
        var sha = await Sha256Hashing.HashFileAsync(source);

        var stored = await lake.UploadFileAsync("subject-1/study-1/series-1/a.dcm", source);
        var info = await lake.GetObjectInfoAsync("subject-1/study-1/series-1/a.dcm");
        var copy = Path.Combine(Work, "out", "a.dcm");
        var downloaded = await lake.DownloadFileAsync("subject-1/study-1/series-1/a.dcm", copy);

        Assert.Equal(sha, stored.Sha256);
        Assert.Equal(sha, info!.Sha256);
        Assert.Equal(70_001, info.Length);
        Assert.Equal(sha, downloaded.Sha256);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(copy));
        Assert.Empty(Directory.GetFiles(Path.Combine(Work, "out"), ".*"));
    }

    [SkippableFact]
    public async Task Missing_object_has_no_info_and_cannot_be_read()
    {
        var lake = Lake();

        Assert.Null(await lake.GetObjectInfoAsync("absent/file.dcm"));
        var error = await Assert.ThrowsAsync<DataLakeObjectNotFoundException>(() => lake.OpenReadAsync("absent/file.dcm"));
        Assert.Equal("absent/file.dcm", error.Key);
        await lake.DeleteAsync("absent/file.dcm");
    }

    [SkippableFact]
    public async Task Listing_gives_the_prefix_in_key_order()
    {
        var lake = Lake();
        var file = WriteFile("x", [1, 2, 3]);
        foreach (var key in new[] { "s2/b", "s1/b", "s1/a", "s10/a", "t/a" }) await lake.UploadFileAsync(key, file);

        var keys = new List<string>();
        await foreach (var item in lake.ListAsync("s1")) keys.Add(item.Key);

        Assert.Equal(["s1/a", "s1/b", "s10/a"], keys);
    }

    [SkippableFact]
    public async Task Corrupted_object_is_detected_on_download_and_when_read()
    {
        var lake = Lake();
        var original = RandomNumberGenerator.GetBytes(10_000);
        await lake.UploadFileAsync("s/corrupt.dcm", WriteFile("c.dcm", original));
        var damaged = (byte[])original.Clone();
        damaged[5000] ^= 0x40;
        await CorruptAsync("s/corrupt.dcm", damaged);

        var target = Path.Combine(Work, "restored", "corrupt.dcm");
        var error = await Assert.ThrowsAsync<DataLakeIntegrityException>(() => lake.DownloadFileAsync("s/corrupt.dcm", target));
        Assert.Equal("s/corrupt.dcm", error.Key);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(original)), error.ExpectedSha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(damaged)), error.ActualSha256);
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(target)!));

        await using var stream = await lake.OpenReadAsync("s/corrupt.dcm");
        await Assert.ThrowsAsync<DataLakeIntegrityException>(() => stream.CopyToAsync(Stream.Null));
    }

    [SkippableFact]
    public async Task Folder_upload_resumes_without_sending_stored_files_and_resends_changed_ones()
    {
        var lake = Lake();
        var tree = Path.Combine(Work, "tree");
        for (var i = 0; i < 20; i++) WriteFile(Path.Combine("tree", $"series-{i % 3}", $"{i:D4}.dcm"), RandomNumberGenerator.GetBytes(100 + i));
        var uploader = new DataLakeFolderUploader(lake, new FolderUploadOptions { MaxConcurrency = 4 });

        var first = await uploader.UploadAsync(tree, "p/study/");
        File.WriteAllBytes(Path.Combine(tree, "series-1", "0004.dcm"), RandomNumberGenerator.GetBytes(104));
        var progress = new List<FolderUploadProgress>();
        var second = await uploader.UploadAsync(tree, "p/study/", new SynchronousProgress<FolderUploadProgress>(progress.Add));

        Assert.Equal(20, first.Uploaded);
        Assert.True(first.Succeeded);
        Assert.Equal(19, second.AlreadyStored);
        var resent = Assert.Single(second.Items, i => i.Outcome == FolderUploadOutcome.Uploaded);
        Assert.Equal("p/study/series-1/0004.dcm", resent.Key);
        Assert.Equal(20, progress.Count);
        Assert.Equal(Enumerable.Range(1, 20), progress.Select(p => p.FilesDone).Order());
        Assert.Equal(second.Items.Sum(i => i.Length), progress.Max(p => p.BytesDone));
    }

    protected string WriteFile(string relative, byte[] content)
    {
        var path = Path.Combine(Work, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock) report(value);
    }
}

/// <summary>The contract on a local folder.</summary>
public sealed class LocalFolderDataLakeStorageTests : DataLakeStorageContract
{
    private LocalFolderDataLakeStorage? _lake;

    protected override IDataLakeStorage Lake() => _lake ??= new LocalFolderDataLakeStorage(Path.Combine(Work, "lake"));

    protected override Task CorruptAsync(string key, byte[] content) =>
        File.WriteAllBytesAsync(Path.Combine(Work, "lake", key), content);

    [Fact]
    public async Task Keys_that_leave_the_lake_are_refused()
    {
        var lake = Lake();
        var file = WriteFile("f", [1]);

        foreach (var key in new[] { "../escape", "/abs", "a//b", "a/./b", ".imagingrepo/sha256/x", "a\\b" })
        {
            await Assert.ThrowsAsync<ArgumentException>(() => lake.UploadFileAsync(key, file));
        }
    }
}
