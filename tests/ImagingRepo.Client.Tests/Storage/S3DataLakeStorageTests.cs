using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Storage;

/// <summary>The contract, and the large-tree, multipart and resume cases, against Ceph RGW.</summary>
public sealed class S3DataLakeStorageTests(CephServer server) : DataLakeStorageContract, IClassFixture<CephServer>, IAsyncLifetime
{
    private readonly string _bucket = "client-lake-" + Guid.NewGuid().ToString("N")[..20];
    private S3DataLakeStorage? _lake;
    private AmazonS3Client? _raw;

    private S3DataLakeOptions Options(long partSize = 16L * 1024 * 1024) => new()
    {
        ServiceUrl = new Uri(server.Endpoint),
        Bucket = _bucket,
        KeyPrefix = "lake/",
        AccessKey = server.AccessKey,
        SecretKey = server.SecretKey,
        PartSize = partSize,
    };

    public async Task InitializeAsync()
    {
        if (!server.IsAvailable) return;
        _lake = new S3DataLakeStorage(Options(), null);
        _raw = S3DataLakeStorage.CreateClient(Options());
        await _lake.EnsureBucketAsync();
    }

    public async Task DisposeAsync()
    {
        if (_raw is null) return;
        await DeleteBucketAsync();
        _raw.Dispose();
        _lake!.Dispose();
    }

    protected override IDataLakeStorage Lake()
    {
        server.Require();
        return _lake!;
    }

    protected override async Task CorruptAsync(string key, byte[] content)
    {
        var head = await _raw!.GetObjectMetadataAsync(_bucket, "lake/" + key);
        using var body = new MemoryStream(content);
        var put = new PutObjectRequest { BucketName = _bucket, Key = "lake/" + key, InputStream = body };
        put.Metadata.Add("x-amz-meta-sha256", head.Metadata["x-amz-meta-sha256"]);
        await _raw.PutObjectAsync(put);
    }

    [SkippableFact]
    public async Task Thousand_file_study_tree_is_uploaded_and_listed()
    {
        var lake = Lake();
        var tree = Path.Combine(Work, "study");
        var sizes = new Dictionary<string, long>();
        for (var i = 0; i < 1000; i++)
        {
            var relative = $"series-{i / 100:D2}/{i:D5}.dcm";
            WriteFile(Path.Combine("study", relative), RandomNumberGenerator.GetBytes(512 + i % 3000));
            sizes["subject-1/study-1/" + relative] = 512 + i % 3000;
        }

        var report = await new DataLakeFolderUploader(lake).UploadAsync(tree, "subject-1/study-1/");

        Assert.True(report.Succeeded, string.Join('\n', report.Failures.Select(f => f.Key + ": " + f.Reason)));
        Assert.Equal(1000, report.Uploaded);
        var listed = new Dictionary<string, long>();
        await foreach (var item in lake.ListAsync("subject-1/")) listed[item.Key] = item.Length;
        Assert.Equal(sizes.OrderBy(p => p.Key, StringComparer.Ordinal), listed.OrderBy(p => p.Key, StringComparer.Ordinal));
        var sample = report.Items[777];
        Assert.Equal(sample.Sha256, (await lake.GetObjectInfoAsync(sample.Key))!.Sha256);
    }

    [SkippableFact]
    public async Task Two_hundred_megabyte_file_goes_in_parts_and_comes_back_whole()
    {
        var lake = Lake();
        var big = Path.Combine(Work, "big.bin");
        await WriteRandomFileAsync(big, 200L * 1024 * 1024);
        var sha = await Sha256Hashing.HashFileAsync(big);

        await lake.UploadFileAsync("subject-2/big.bin", big);

        var head = await _raw!.GetObjectMetadataAsync(_bucket, "lake/subject-2/big.bin");
        Assert.EndsWith("-13\"", head.ETag, StringComparison.Ordinal); // 200 MiB in 16 MiB parts
        Assert.Equal(sha, (await lake.GetObjectInfoAsync("subject-2/big.bin"))!.Sha256);
        var copy = Path.Combine(Work, "big.copy");
        await lake.DownloadFileAsync("subject-2/big.bin", copy);
        Assert.Equal(sha, await Sha256Hashing.HashFileAsync(copy));
        File.Delete(copy);
    }

    [SkippableFact]
    public async Task Interrupted_tree_upload_resumes_without_resending_finished_objects()
    {
        var lake = Lake();
        var tree = Path.Combine(Work, "resume");
        for (var i = 0; i < 1000; i++) WriteFile(Path.Combine("resume", $"s{i / 250}", $"{i:D5}.dcm"), RandomNumberGenerator.GetBytes(2048));
        using var interrupt = new CancellationTokenSource();
        var uploader = new DataLakeFolderUploader(lake, new FolderUploadOptions { MaxConcurrency = 8 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => uploader.UploadAsync(tree, "resume/",
            new SynchronousProgress<FolderUploadProgress>(p =>
            {
                if (p.FilesDone == 300) interrupt.Cancel();
            }), interrupt.Token));

        // What the server holds after the interruption, and when it last wrote any of it.
        var before = await ServerObjectsAsync("lake/resume/");
        Assert.InRange(before.Count, 300, 999);
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // S3 timestamps have one-second resolution
        var report = await uploader.UploadAsync(tree, "resume/");
        var after = await ServerObjectsAsync("lake/resume/");

        Assert.True(report.Succeeded);
        Assert.Equal(1000, after.Count);
        Assert.Equal(before.Count, report.AlreadyStored);
        Assert.Equal(1000 - before.Count, report.Uploaded);
        // Counted on the server: every object of the first run still has its first write time, the rest are newer.
        var lastBefore = before.Values.Max();
        Assert.All(before, o => Assert.Equal(o.Value, after[o.Key]));
        Assert.Equal(1000 - before.Count, after.Count(o => o.Value > lastBefore));
    }

    [SkippableFact]
    public async Task Interrupted_multipart_upload_resumes_with_the_parts_already_stored()
    {
        Lake();
        var logs = new RecordingLoggerFactory();
        var options = Options(partSize: 5L * 1024 * 1024);
        options.MultipartThreshold = 5L * 1024 * 1024;
        options.PartConcurrency = 1; // one part at a time, so that the interruption lands while parts are still missing
        using var lake = new S3DataLakeStorage(options, logs.CreateLogger<S3DataLakeStorage>());
        var big = Path.Combine(Work, "parts.bin");
        await WriteRandomFileAsync(big, 60L * 1024 * 1024); // 12 parts of 5 MiB
        using var interrupt = new CancellationTokenSource();

        var upload = lake.UploadFileAsync("subject-3/parts.bin", big, cancellationToken: interrupt.Token);
        var storedParts = 0;
        while (!upload.IsCompleted && storedParts < 4)
        {
            storedParts = await StoredPartsAsync("lake/subject-3/parts.bin");
        }

        interrupt.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        storedParts = await StoredPartsAsync("lake/subject-3/parts.bin");
        Assert.InRange(storedParts, 4, 11);

        await lake.UploadFileAsync("subject-3/parts.bin", big);

        var resumed = System.Text.RegularExpressions.Regex.Match(logs.AllText, "Resumed the multipart upload of subject-3/parts.bin: ([0-9]+) of 12 parts");
        Assert.True(resumed.Success, logs.AllText);
        Assert.InRange(int.Parse(resumed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), storedParts, 11);
        Assert.Equal(await Sha256Hashing.HashFileAsync(big), (await lake.GetObjectInfoAsync("subject-3/parts.bin"))!.Sha256);
        var unfinished = await _raw!.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        Assert.Empty(unfinished.MultipartUploads ?? []);
        var copy = Path.Combine(Work, "parts.copy");
        await lake.DownloadFileAsync("subject-3/parts.bin", copy);
        Assert.Equal(File.ReadAllBytes(big), File.ReadAllBytes(copy));
    }

    [SkippableFact]
    public void Ceph_compatibility_mode_sets_what_rgw_needs()
    {
        server.Require();
        using var client = S3DataLakeStorage.CreateClient(Options());
        var config = (AmazonS3Config)client.Config;

        Assert.True(config.ForcePathStyle);
        Assert.Equal(Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED, config.RequestChecksumCalculation);
        Assert.Equal(Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED, config.ResponseChecksumValidation);
    }

    private async Task<int> StoredPartsAsync(string fullKey)
    {
        var uploads = await _raw!.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = fullKey });
        var upload = (uploads.MultipartUploads ?? []).FirstOrDefault(u => u.Key == fullKey);
        if (upload is null) return 0;
        var parts = await _raw.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = fullKey, UploadId = upload.UploadId });
        return parts.Parts?.Count ?? 0;
    }

    private async Task<Dictionary<string, DateTime>> ServerObjectsAsync(string prefix)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        do
        {
            var page = await _raw!.ListObjectsV2Async(request);
            foreach (var o in page.S3Objects ?? []) result[o.Key] = o.LastModified!.Value;
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
        return result;
    }

    private static async Task WriteRandomFileAsync(string path, long length)
    {
        await using var file = File.Create(path);
        var block = new byte[1024 * 1024];
        for (long written = 0; written < length; written += block.Length)
        {
            RandomNumberGenerator.Fill(block);
            await file.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, length - written)));
        }
    }

    private async Task DeleteBucketAsync()
    {
        var uploads = await _raw!.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket });
        foreach (var u in uploads.MultipartUploads ?? [])
        {
            await _raw.AbortMultipartUploadAsync(_bucket, u.Key, u.UploadId);
        }

        foreach (var key in (await ServerObjectsAsync("")).Keys)
        {
            await _raw.DeleteObjectAsync(_bucket, key);
        }

        await _raw.DeleteBucketAsync(_bucket);
    }
}
