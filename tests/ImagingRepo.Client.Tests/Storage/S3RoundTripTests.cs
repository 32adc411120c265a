using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.Storage;

/// <summary>
/// Proves the Ceph RADOS Gateway harness with AWSSDK.S3 4.x and the settings RGW needs: path-style
/// addressing and checksums only where the operation requires them (RGW rejects the SDK's default
/// trailing checksums with XAmzContentSHA256Mismatch).
/// </summary>
public sealed class S3RoundTripTests(CephServer server) : IClassFixture<CephServer>
{
    [SkippableFact]
    public async Task Bucket_create_put_get_list_delete_round_trips()
    {
        server.Require();
        using var s3 = CreateClient();
        var bucket = "harness-" + Guid.NewGuid().ToString("N");
        var small = "series/1/instance-0001.dcm";
        var large = "series/1/instance-0002.dcm";
        var largeBody = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket });
        try
        {
            var put = await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = small,
                ContentBody = "hello, data lake",
                ContentType = "text/plain",
            });
            Assert.Equal(Md5Hex("hello, data lake"u8.ToArray()), put.ETag.Trim('"'));

            using (var body = new MemoryStream(largeBody))
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = large, InputStream = body });
            }

            using (var get = await s3.GetObjectAsync(bucket, large))
            using (var copy = new MemoryStream())
            {
                await get.ResponseStream.CopyToAsync(copy);
                Assert.Equal(largeBody.Length, get.ContentLength);
                Assert.Equal(SHA256.HashData(largeBody), SHA256.HashData(copy.ToArray()));
            }

            using (var get = await s3.GetObjectAsync(bucket, small))
            using (var reader = new StreamReader(get.ResponseStream))
            {
                Assert.Equal("hello, data lake", await reader.ReadToEndAsync());
                Assert.Equal("text/plain", get.Headers.ContentType);
            }

            var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "series/1/" });
            Assert.Equal([small, large], listed.S3Objects.Select(o => o.Key).Order(StringComparer.Ordinal));
            Assert.Equal(largeBody.Length, listed.S3Objects.Single(o => o.Key == large).Size);

            await s3.DeleteObjectAsync(bucket, small);
            var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, small));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);

            listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            Assert.Equal([large], listed.S3Objects.Select(o => o.Key));
        }
        finally
        {
            var left = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
            foreach (var o in left.S3Objects ?? [])
            {
                await s3.DeleteObjectAsync(bucket, o.Key);
            }

            await s3.DeleteBucketAsync(bucket);
        }

        var buckets = await s3.ListBucketsAsync();
        Assert.DoesNotContain(buckets.Buckets ?? [], b => b.BucketName == bucket);
    }

    [SkippableFact]
    public async Task Wrong_secret_is_rejected_by_the_gateway()
    {
        server.Require();
        using var s3 = CreateClient(secretKey: server.SecretKey + "x");

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", error.ErrorCode);
    }

    private AmazonS3Client CreateClient(string? secretKey = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = server.Endpoint,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        };
        return new AmazonS3Client(new BasicAWSCredentials(server.AccessKey, secretKey ?? server.SecretKey), config);
    }

    private static string Md5Hex(byte[] data) =>
#pragma warning disable CA5351 // S3 ETags of single-part uploads are MD5 by definition.
        Convert.ToHexStringLower(MD5.HashData(data));
#pragma warning restore CA5351
}
