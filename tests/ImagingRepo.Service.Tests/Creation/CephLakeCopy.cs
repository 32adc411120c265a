using Amazon.S3;
using Amazon.S3.Model;
using ImagingRepo.Client.Storage;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>Where a creation test's data lake lies.</summary>
public enum LakeKind
{
    /// <summary>The folder of <see cref="CreationLake"/>, through <see cref="LocalFolderDataLake"/>.</summary>
    Folder,

    /// <summary>A bucket of Ceph RGW holding the same files, through <see cref="ObjectStoreDataLake"/>.</summary>
    Ceph,
}

/// <summary>
/// The <see cref="CreationLake"/> copied into a bucket of Ceph RGW (its own per test class) the way a provider fills
/// the lake: uploaded with the Client's <see cref="DataLakeFolderUploader"/> under a key prefix, so the Service reads
/// what the Client writes. The lake's links start with the folder lake's path, which plays the bucket's mount in the
/// pods (the same files), so walking a dataset made from the bucket reaches the same content.
/// </summary>
public sealed class CephLakeCopy : IAsyncLifetime
{
    private const string KeyPrefix = "lake/";
    private readonly SemaphoreSlim _once = new(1, 1);
    private bool _uploaded;
    private bool _bucketMade;

    /// <summary>The Ceph RGW the bucket is on.</summary>
    public CephServer Server { get; } = new();

    /// <summary>This test class's bucket.</summary>
    public string Bucket { get; } = "creation-lake-" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>The S3 settings of the bucket, as the service's configuration gives them.</summary>
    public S3DataLakeOptions Options => new()
    {
        ServiceUrl = new Uri(Server.Endpoint),
        Bucket = Bucket,
        KeyPrefix = KeyPrefix,
        AccessKey = Server.AccessKey,
        SecretKey = Server.SecretKey,
    };

    /// <summary>The lake of <paramref name="kind"/> over <paramref name="lake"/>'s files (for Ceph: skips, or fails under CI, without the server).</summary>
    public async Task<IDataLake> OpenAsync(LakeKind kind, CreationLake lake)
    {
        if (kind == LakeKind.Folder) return new LocalFolderDataLake(lake.LakePath);
        await UploadOnceAsync(lake);
        return new ObjectStoreDataLake(new S3DataLakeStorage(Options, null), lake.LakePath, ownsStorage: true);
    }

    /// <summary>Notes that a test made the bucket itself, so that it is emptied and removed at the end.</summary>
    public void MarkBucketMade() => _bucketMade = true;

    /// <summary>Uploads one more file (a test's own key) to the bucket.</summary>
    public async Task PutAsync(string key, byte[] content)
    {
        using var s3 = S3DataLakeStorage.CreateClient(Options);
        using var body = new MemoryStream(content);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = KeyPrefix + key, InputStream = body });
    }

    /// <summary>Deletes a key of the bucket.</summary>
    public async Task DeleteAsync(string key)
    {
        using var s3 = S3DataLakeStorage.CreateClient(Options);
        await s3.DeleteObjectAsync(Bucket, KeyPrefix + key);
    }

    /// <summary>Copies <paramref name="lake"/> into the bucket, once per fixture.</summary>
    public async Task UploadOnceAsync(CreationLake lake)
    {
        Server.Require();
        await _once.WaitAsync();
        try
        {
            if (_uploaded) return;
            using var storage = new S3DataLakeStorage(Options, null);
            await storage.EnsureBucketAsync();
            _bucketMade = true;
            var report = await new DataLakeFolderUploader(storage).UploadAsync(lake.LakePath, "");
            if (!report.Succeeded) throw new InvalidOperationException("the lake was not copied to Ceph: " + string.Join("; ", report.Failures.Select(f => f.Key + ": " + f.Reason)));
            _uploaded = true;
        }
        finally
        {
            _once.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (!_bucketMade) return;
        using var s3 = S3DataLakeStorage.CreateClient(Options);
        var request = new ListObjectsV2Request { BucketName = Bucket };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            foreach (var item in page.S3Objects ?? []) await s3.DeleteObjectAsync(Bucket, item.Key);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        try
        {
            await s3.DeleteBucketAsync(Bucket);
        }
        catch (AmazonS3Exception)
        {
            // a bucket left behind is only clutter on the test server
        }

        _once.Dispose();
    }
}
