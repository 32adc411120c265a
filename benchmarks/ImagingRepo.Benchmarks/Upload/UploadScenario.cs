using System.Diagnostics;
using System.Globalization;
using Amazon.S3.Transfer;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Benchmarks.Upload;

/// <summary>
/// One side of benchmarks/upload.sh, in its own process so that each side's peak RSS is its own:
/// <c>upload ours CORPUS BUCKET STAGING</c> de-identifies and uploads the tree with the library's
/// <see cref="DeidentifyingUploader"/> (DeidentificationRun in batches, each uploaded with SHA-256 in object metadata
/// while the next is de-identified, staged batches deleted once stored);
/// <c>upload transferutility CORPUS BUCKET</c> uploads the raw tree with AWSSDK's <see cref="TransferUtility"/>.
/// Both send 8 requests at a time. Prints <c>seconds=S bytes=B files=N</c> (the corpus's bytes, read by both).
/// </summary>
internal static class UploadScenario
{
    private const int Concurrency = 8;
    private const int BatchFiles = 200;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["delete", var doomed])
        {
            await DeleteBucketAsync(LakeOptions(doomed)).ConfigureAwait(false);
            return 0;
        }

        if (args.Length < 3)
        {
            await Console.Error.WriteLineAsync("usage: upload ours|transferutility CORPUS BUCKET [STAGING]").ConfigureAwait(false);
            return 2;
        }

        var (side, corpus, bucket) = (args[0], Path.GetFullPath(args[1]), args[2]);
        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var options = LakeOptions(bucket);
        using var lake = new S3DataLakeStorage(options, null);
        await lake.EnsureBucketAsync().ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        int failed = side switch
        {
            "ours" => await OursAsync(lake, files, args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "imagingrepo-upload-staging")).ConfigureAwait(false),
            "transferutility" => await TransferUtilityAsync(options, corpus).ConfigureAwait(false),
            _ => throw new ArgumentException($"unknown side '{side}'"),
        };
        clock.Stop();
        if (failed > 0)
        {
            await Console.Error.WriteLineAsync($"{side}: {failed} file(s) failed").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds={clock.Elapsed.TotalSeconds:F3} bytes={bytes} files={files.Count}"));
        return 0;
    }

    private static S3DataLakeOptions LakeOptions(string bucket) => new()
    {
        ServiceUrl = new Uri(Environment.GetEnvironmentVariable("IMAGINGREPO_S3_ENDPOINT") ?? throw new InvalidOperationException("IMAGINGREPO_S3_ENDPOINT is not set")),
        AccessKey = Environment.GetEnvironmentVariable("IMAGINGREPO_S3_ACCESS_KEY"),
        SecretKey = Environment.GetEnvironmentVariable("IMAGINGREPO_S3_SECRET_KEY"),
        Bucket = bucket,
    };

    /// <summary>Empties (1,000 keys per request) and removes a benchmark bucket.</summary>
    private static async Task DeleteBucketAsync(S3DataLakeOptions options)
    {
        using var s3 = S3DataLakeStorage.CreateClient(options);
        while (true)
        {
            var page = await s3.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = options.Bucket, MaxKeys = 1000 }).ConfigureAwait(false);
            if (page.S3Objects is not { Count: > 0 } objects) break;
            await s3.DeleteObjectsAsync(new Amazon.S3.Model.DeleteObjectsRequest
            {
                BucketName = options.Bucket,
                Objects = [.. objects.Select(o => new Amazon.S3.Model.KeyVersion { Key = o.Key })],
            }).ConfigureAwait(false);
        }

        await s3.DeleteBucketAsync(options.Bucket).ConfigureAwait(false);
    }

    /// <summary>The library's <see cref="DeidentifyingUploader"/>: batch k+1 is de-identified while batch k uploads.</summary>
    private static async Task<int> OursAsync(S3DataLakeStorage lake, List<string> files, string staging)
    {
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        var uploader = new DeidentifyingUploader(lake, new DeidentifyingUploadOptions
        {
            BatchFiles = BatchFiles, StagingFolder = staging, MaxConcurrency = Concurrency, SkipStored = false,
        });
        var report = await uploader.UploadAsync(files, "ours/", DeidentificationKey.Generate()).ConfigureAwait(false);
        Directory.Delete(staging, recursive: true);
        return report.DeidentificationFailures.Count + report.Quarantined + report.UploadFailures.Count + (files.Count - report.Uploaded);
    }

    private static async Task<int> TransferUtilityAsync(S3DataLakeOptions options, string corpus)
    {
        using var s3 = S3DataLakeStorage.CreateClient(options);
        using var transfer = new TransferUtility(s3, new TransferUtilityConfig { ConcurrentServiceRequests = Concurrency });
        await transfer.UploadDirectoryAsync(new TransferUtilityUploadDirectoryRequest
        {
            BucketName = options.Bucket,
            Directory = corpus,
            KeyPrefix = "transferutility",
            SearchOption = SearchOption.AllDirectories,
            SearchPattern = "*",
        }).ConfigureAwait(false);
        return 0;
    }
}
