using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Client.Storage;

/// <summary>Which S3 implementation the lake talks to, and so which of the SDK's defaults must be turned off.</summary>
public enum S3Compatibility
{
    /// <summary>
    /// Ceph RADOS Gateway (what CHAIMELEON runs), and most S3-compatible stores: path-style addressing; checksums only
    /// where an operation requires them (RGW rejects the SDK's default trailing <c>x-amz-checksum-*</c> with
    /// <c>XAmzContentSHA256Mismatch</c> and does not store them); no response checksum validation. Integrity is kept
    /// by the SHA-256 in object metadata instead.
    /// </summary>
    CephRgw,

    /// <summary>Amazon S3: the SDK's defaults (virtual-host addressing, flexible checksums).</summary>
    AmazonS3,
}

/// <summary>An S3 data lake: endpoint, bucket, credentials and transfer settings (section <c>ImagingRepo:DataLake:S3</c>).</summary>
public sealed class S3DataLakeOptions
{
    /// <summary>The S3 endpoint, e.g. <c>https://rgw.example.org</c>; null for Amazon S3's regional endpoint.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The signing region (default <c>us-east-1</c>, which RGW accepts whatever its zone group is).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The bucket holding the lake.</summary>
    [Required]
    public string? Bucket { get; set; }

    /// <summary>A prefix put before every key (e.g. <c>lake/</c>); empty for none.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>The access key; null to use the SDK's credential chain (environment, profile, pod identity).</summary>
    public string? AccessKey { get; set; }

    /// <summary>The secret key. A secret: bind it from a secret store or the environment, never a committed file.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The store's S3 dialect (default <see cref="S3Compatibility.CephRgw"/>).</summary>
    public S3Compatibility Compatibility { get; set; } = S3Compatibility.CephRgw;

    /// <summary>Files of at least this size are sent in parts (default 64 MiB).</summary>
    [Range(5L * 1024 * 1024, long.MaxValue)]
    public long MultipartThreshold { get; set; } = 64L * 1024 * 1024;

    /// <summary>The part size of a multipart upload (default 16 MiB; S3 needs at least 5 MiB and at most 10,000 parts).</summary>
    [Range(5L * 1024 * 1024, 5L * 1024 * 1024 * 1024)]
    public long PartSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>Parts of one file sent at once (default 4).</summary>
    [Range(1, 64)]
    public int PartConcurrency { get; set; } = 4;

    /// <summary>How often the SDK retries a failed request (throttling, 5xx, broken connections; default 4).</summary>
    [Range(0, 20)]
    public int MaxErrorRetry { get; set; } = 4;
}
