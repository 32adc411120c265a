namespace ImagingRepo.Client.Storage;

/// <summary>An object of the data lake.</summary>
/// <param name="Key">Its key, relative to the lake's root or prefix.</param>
/// <param name="Length">Its size in bytes.</param>
/// <param name="Sha256">Its recorded SHA-256 (lower-case hex), or null where not known (listings; objects stored by other tools).</param>
/// <param name="LastModified">When the store last wrote it, or null where not known.</param>
public sealed record DataLakeObject(string Key, long Length, string? Sha256, DateTimeOffset? LastModified);
