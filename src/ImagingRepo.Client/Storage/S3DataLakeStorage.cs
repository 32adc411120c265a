using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Storage;

/// <summary>
/// A data lake in an S3 bucket (AWSSDK.S3), Ceph RGW first. Each object carries its SHA-256 as user metadata
/// (<c>x-amz-meta-sha256</c>), which every download checks and a HEAD reports, rather than the <c>x-amz-checksum-*</c>
/// headers RGW ignores. Files from <see cref="S3DataLakeOptions.MultipartThreshold"/> up are sent in parts, several at
/// once; a cancelled or killed multipart upload is resumed by the next upload of the same key, re-sending only the
/// parts the store does not hold with the same content (checked by each part's MD5 ETag).
/// </summary>
public sealed partial class S3DataLakeStorage : IDataLakeStorage, IDisposable
{
    /// <summary>The user-metadata name of the SHA-256 (sent as <c>x-amz-meta-sha256</c>).</summary>
    public const string Sha256MetadataName = "sha256";

    private const string MetadataHeader = "x-amz-meta-" + Sha256MetadataName;
    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;
    private readonly S3DataLakeOptions _options;
    private readonly string _bucket;
    private readonly ILogger _logger;

    /// <summary>Creates the lake with its own S3 client, built by <see cref="CreateClient"/>.</summary>
    /// <param name="options">Endpoint, bucket, credentials and transfer settings.</param>
    /// <param name="logger">The log, or null for none.</param>
    public S3DataLakeStorage(S3DataLakeOptions options, ILogger<S3DataLakeStorage>? logger)
        : this(CreateClient(options), options, logger, ownsClient: true)
    {
    }

    /// <summary>Creates the lake over an S3 client the caller configured (and disposes).</summary>
    /// <param name="s3">The client.</param>
    /// <param name="options">Bucket, prefix and transfer settings.</param>
    /// <param name="logger">The log, or null for none.</param>
    public S3DataLakeStorage(IAmazonS3 s3, S3DataLakeOptions options, ILogger<S3DataLakeStorage>? logger)
        : this(s3, options, logger, ownsClient: false)
    {
    }

    private S3DataLakeStorage(IAmazonS3 s3, S3DataLakeOptions options, ILogger? logger, bool ownsClient)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Bucket, "options.Bucket");
        _s3 = s3;
        _ownsClient = ownsClient;
        _options = options;
        _bucket = options.Bucket;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The bucket.</summary>
    public string Bucket => _bucket;

    /// <summary>
    /// An S3 client for <paramref name="options"/>: for <see cref="S3Compatibility.CephRgw"/> path-style addressing,
    /// checksums only where required, no response checksum validation, signing region
    /// <see cref="S3DataLakeOptions.Region"/>.
    /// </summary>
    /// <param name="options">Endpoint, credentials and compatibility mode.</param>
    public static AmazonS3Client CreateClient(S3DataLakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config { MaxErrorRetry = options.MaxErrorRetry };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.AbsoluteUri;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        if (options.Compatibility == S3Compatibility.CephRgw)
        {
            config.ForcePathStyle = true;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }

        return options.AccessKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }

    /// <summary>Creates the bucket unless it exists (set-up and tests; a platform's lake bucket is made by its operators).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    /// <inheritdoc />
    public async Task<DataLakeObject?> GetObjectInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = FullKey(key) }, cancellationToken)
                .ConfigureAwait(false);
            return new DataLakeObject(key, head.ContentLength, Sha256Of(head.Metadata), head.LastModified);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<DataLakeObject> UploadFileAsync(string key, string path, string? sha256 = null, CancellationToken cancellationToken = default)
    {
        var fullKey = FullKey(key);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var length = new FileInfo(path).Length;
        sha256 ??= await Sha256Hashing.HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            if (length < _options.MultipartThreshold)
            {
                var put = new PutObjectRequest { BucketName = _bucket, Key = fullKey, FilePath = path };
                put.Metadata.Add(MetadataHeader, sha256);
                await _s3.PutObjectAsync(put, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await UploadInPartsAsync(key, fullKey, path, length, sha256, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AmazonServiceException e)
        {
            throw new DataLakeException(key, $"upload of {key} to s3://{_bucket}/{fullKey} failed: {e.Message}", e);
        }

        return new DataLakeObject(key, length, sha256, null);
    }

    /// <inheritdoc />
    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw DataLakeObjectNotFoundException.ForKey(key, e);
        }

        return new VerifyingReadStream(response.ResponseStream, key, Sha256Of(response.Metadata), response);
    }

    /// <inheritdoc />
    public async Task<DataLakeObject> DownloadFileAsync(string key, string path, CancellationToken cancellationToken = default)
    {
        GetObjectResponse response;
        try
        {
            response = await _s3.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = FullKey(key) }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw DataLakeObjectNotFoundException.ForKey(key, e);
        }

        var sha256 = Sha256Of(response.Metadata);
        var info = new DataLakeObject(key, response.ContentLength, sha256, response.LastModified);
        var stream = new VerifyingReadStream(response.ResponseStream, key, sha256, response);
        await using (stream.ConfigureAwait(false))
        {
            await DataLakeKeys.DownloadViaTemporaryFileAsync(stream, path, cancellationToken).ConfigureAwait(false);
        }

        return info;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DataLakeObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = _options.KeyPrefix + prefix };
        do
        {
            var page = await _s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new DataLakeObject(item.Key[_options.KeyPrefix.Length..], item.Size ?? 0, null, item.LastModified);
            }

            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        await _s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = FullKey(key) }, cancellationToken).ConfigureAwait(false);

    /// <summary>Disposes the S3 client when this lake created it.</summary>
    public void Dispose()
    {
        if (_ownsClient) _s3.Dispose();
    }

    private string FullKey(string key) => _options.KeyPrefix + DataLakeKeys.Check(key);

    private static string? Sha256Of(MetadataCollection metadata)
    {
        var value = metadata[MetadataHeader];
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private async Task UploadInPartsAsync(string key, string fullKey, string path, long length, string sha256, CancellationToken cancellationToken)
    {
        var partSize = _options.PartSize;
        var partCount = (int)((length + partSize - 1) / partSize);
        var (uploadId, stored) = await FindUnfinishedUploadAsync(fullKey, cancellationToken).ConfigureAwait(false);
        if (uploadId is null)
        {
            var initiate = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = fullKey };
            initiate.Metadata.Add(MetadataHeader, sha256);
            uploadId = (await _s3.InitiateMultipartUploadAsync(initiate, cancellationToken).ConfigureAwait(false)).UploadId;
        }

        var etags = new ConcurrentDictionary<int, string>();
        var reused = 0;
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, partCount),
                new ParallelOptions { MaxDegreeOfParallelism = _options.PartConcurrency, CancellationToken = cancellationToken },
                async (number, ct) =>
                {
                    var offset = (number - 1) * partSize;
                    var size = Math.Min(partSize, length - offset);
                    if (stored.TryGetValue(number, out var part) && part.Size == size
                        && await PartMatchesAsync(path, offset, size, part.ETag, ct).ConfigureAwait(false))
                    {
                        etags[number] = part.ETag;
                        Interlocked.Increment(ref reused);
                        return;
                    }

                    var upload = new UploadPartRequest
                    {
                        BucketName = _bucket, Key = fullKey, UploadId = uploadId, PartNumber = number,
                        FilePath = path, FilePosition = offset, PartSize = size, IsLastPart = number == partCount,
                    };
                    etags[number] = (await _s3.UploadPartAsync(upload, ct).ConfigureAwait(false)).ETag;
                }).ConfigureAwait(false);

            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket, Key = fullKey, UploadId = uploadId,
                PartETags = [.. etags.OrderBy(p => p.Key).Select(p => new PartETag(p.Key, p.Value))],
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A cancelled upload keeps its parts for the next run; a failed one is cleared so nothing is left behind.
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = uploadId },
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (reused > 0)
        {
            Log.ResumedMultipart(_logger, key, reused, partCount);
            // The resumed upload was started by an earlier run: its metadata holds that run's SHA-256. When the file
            // has changed since, the parts would not have matched; still, check before calling the object stored.
            var info = await GetObjectInfoAsync(key, cancellationToken).ConfigureAwait(false);
            if (info?.Sha256 != sha256)
            {
                await DeleteAsync(key, cancellationToken).ConfigureAwait(false);
                throw new DataLakeIntegrityException(key, sha256, info?.Sha256 ?? "(none)");
            }
        }
    }

    /// <summary>The newest unfinished multipart upload of the key and its stored parts; older ones are aborted.</summary>
    private async Task<(string? UploadId, Dictionary<int, PartDetail> Parts)> FindUnfinishedUploadAsync(string fullKey, CancellationToken cancellationToken)
    {
        var listing = await _s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = fullKey }, cancellationToken)
            .ConfigureAwait(false);
        var uploads = (listing.MultipartUploads ?? []).Where(u => u.Key == fullKey).OrderByDescending(u => u.Initiated).ToList();
        if (uploads.Count == 0) return (null, []);
        foreach (var stale in uploads.Skip(1))
        {
            await _s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = fullKey, UploadId = stale.UploadId }, cancellationToken)
                .ConfigureAwait(false);
        }

        var parts = new Dictionary<int, PartDetail>();
        var request = new ListPartsRequest { BucketName = _bucket, Key = fullKey, UploadId = uploads[0].UploadId };
        while (true)
        {
            var page = await _s3.ListPartsAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var part in page.Parts ?? []) parts[part.PartNumber ?? 0] = part;
            if (page.IsTruncated != true) break;
            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return (uploads[0].UploadId, parts);
    }

    /// <summary>Whether the stored part's ETag (the MD5 of its bytes) is the MD5 of the file's bytes at that place.</summary>
    private static async Task<bool> PartMatchesAsync(string path, long offset, long size, string etag, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = offset;
#pragma warning disable CA5351 // S3 part ETags are MD5 by definition; this compares, it does not protect.
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
            var buffer = new byte[1024 * 1024];
            var left = size;
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0) return false;
                md5.AppendData(buffer, 0, read);
                left -= read;
            }

            return string.Equals(Convert.ToHexStringLower(md5.GetHashAndReset()), etag.Trim('"'), StringComparison.OrdinalIgnoreCase);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Resumed the multipart upload of {Key}: {Reused} of {Parts} parts were already stored")]
        public static partial void ResumedMultipart(ILogger logger, string key, int reused, int parts);
    }
}
