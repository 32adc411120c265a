using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Hashing;

/// <summary>The digests of one series folder.</summary>
/// <param name="Path">Path relative to the dataset folder, with '/' separators.</param>
/// <param name="Digest">SHA3-256 over the contents of its files, sorted by name.</param>
/// <param name="FileCount">Number of files hashed.</param>
/// <param name="ByteCount">Number of bytes hashed.</param>
public sealed record SeriesDigest(string Path, byte[] Digest, int FileCount, long ByteCount);

/// <summary>The digests of one study folder.</summary>
/// <param name="Path">Path relative to the dataset folder, with '/' separators.</param>
/// <param name="Digest">SHA3-256 over its series digests in order.</param>
/// <param name="Series">Its series, in the order hashed.</param>
public sealed record StudyDigest(string Path, byte[] Digest, IReadOnlyList<SeriesDigest> Series);

/// <summary>
/// A dataset's hash tree as the platform computes it: series → study → <c>images</c>, with <c>index.json</c>
/// and <c>eforms.json</c> hashed on their own. All digests are SHA3-256; traces carry them base64, under the resource
/// ids the CHAIMELEON dataset service uses: <c>index</c>, <c>images</c> and <c>clinicalData</c> (the eforms).
/// </summary>
/// <param name="Images">SHA3-256 over the study digests in order.</param>
/// <param name="Index">SHA3-256 of <c>index.json</c>, or null when there is none.</param>
/// <param name="Eforms">SHA3-256 of <c>eforms.json</c>, or null when there is none.</param>
/// <param name="Studies">The studies, in the order hashed.</param>
public sealed record DatasetHashTree(byte[] Images, byte[]? Index, byte[]? Eforms, IReadOnlyList<StudyDigest> Studies)
{
    /// <summary>Resource id of the images digest in a CREATE_DATASET trace.</summary>
    public const string ImagesResource = "images";

    /// <summary>Resource id of the index.json digest.</summary>
    public const string IndexResource = "index";

    /// <summary>Resource id of the eforms.json digest, as the CHAIMELEON dataset service names it.</summary>
    public const string ClinicalDataResource = "clinicalData";

    /// <summary>
    /// Resource id earlier ImagingRepo versions gave the eforms.json digest; <see cref="CompareWith"/> takes it for
    /// <see cref="ClinicalDataResource"/>, so traces recorded with it still check.
    /// </summary>
    public const string EformsResource = "eforms";

    /// <summary>The <c>traceResources</c> of a CREATE_DATASET trace for this tree.</summary>
    public IReadOnlyList<TraceResource> ToTraceResources()
    {
        var resources = new List<TraceResource>(3);
        if (Index is not null) resources.Add(new TraceResource(IndexResource, Convert.ToBase64String(Index), TraceHashType.Sha3_256));
        if (Eforms is not null) resources.Add(new TraceResource(ClinicalDataResource, Convert.ToBase64String(Eforms), TraceHashType.Sha3_256));
        resources.Add(new TraceResource(ImagesResource, Convert.ToBase64String(Images), TraceHashType.Sha3_256));
        return resources;
    }

    /// <summary>
    /// The integrity check: compares this (recomputed) tree with the hashes recorded in the dataset's
    /// CREATE_DATASET trace and lists every resource that differs or is missing. The trace may come from ImagingRepo or
    /// from the CHAIMELEON dataset service: a recorded <c>eforms</c> resource stands for <c>clinicalData</c>.
    /// </summary>
    /// <param name="creation">The CREATE_DATASET trace.</param>
    public IntegrityCheckResult CompareWith(CreateDatasetTrace creation)
    {
        ArgumentNullException.ThrowIfNull(creation);
        var mismatches = new List<string>();
        var mine = ToTraceResources();
        foreach (var recorded in creation.TraceResources)
        {
            var id = CanonicalResourceId(recorded.Id);
            var current = mine.FirstOrDefault(r => r.Id == id);
            if (current is null)
            {
                mismatches.Add($"{recorded.Id}: recorded but absent now");
            }
            else if (recorded.ContentHashType != TraceHashType.Sha3_256)
            {
                mismatches.Add($"{recorded.Id}: recorded as {recorded.ContentHashType}, only SHA3_256 can be recomputed");
            }
            else if (current.ContentHash != recorded.ContentHash)
            {
                mismatches.Add($"{recorded.Id}: recorded {recorded.ContentHash}, now {current.ContentHash}");
            }
        }

        foreach (var current in mine)
        {
            if (!creation.TraceResources.Any(r => CanonicalResourceId(r.Id) == current.Id))
            {
                mismatches.Add($"{current.Id}: present now but not recorded");
            }
        }

        return new IntegrityCheckResult(mismatches.Count == 0, mismatches);
    }

    private static string CanonicalResourceId(string id) => id == EformsResource ? ClinicalDataResource : id;
}

/// <summary>Outcome of <see cref="DatasetHashTree.CompareWith"/>.</summary>
/// <param name="IsIntact">True when every recorded digest matches.</param>
/// <param name="Mismatches">One line per differing resource.</param>
public sealed record IntegrityCheckResult(bool IsIntact, IReadOnlyList<string> Mismatches);

/// <summary>A study of a dataset hashed from streams (<see cref="DatasetHasher.ComputeFromStreamsAsync(IReadOnlyList{DatasetStreamStudy}, ReadOnlyMemory{byte}?, ReadOnlyMemory{byte}?, DatasetHasherOptions?, CancellationToken)"/>).</summary>
/// <param name="Path">Its path in the dataset folder (<c>index.json</c>'s <c>path</c>), with '/' separators.</param>
/// <param name="Series">Its series, in the order of <c>index.json</c>.</param>
public sealed record DatasetStreamStudy(string Path, IReadOnlyList<DatasetStreamSeries> Series);

/// <summary>A series hashed from streams: its files are opened one by one, in ordinal order of their names.</summary>
/// <param name="Path">Its path in the dataset folder, with '/' separators.</param>
/// <param name="FileCount">How many files it has.</param>
/// <param name="OpenFile">Opens its file at a position (0 to <paramref name="FileCount"/> - 1) for reading; the hasher disposes the stream.</param>
public sealed record DatasetStreamSeries(string Path, int FileCount, Func<int, CancellationToken, ValueTask<Stream>> OpenFile);
