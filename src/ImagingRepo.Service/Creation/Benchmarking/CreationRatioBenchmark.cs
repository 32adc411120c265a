using System.Diagnostics;
using ImagingRepo.Dicom;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Tracing.Hashing;

namespace ImagingRepo.Service.Creation.Benchmarking;

/// <summary>The size of the lake <see cref="CreationRatioBenchmark"/> measures on.</summary>
internal sealed record CreationRatioOptions
{
    /// <summary>A folder for the lake and the datasets (emptied first, removed after).</summary>
    public required string WorkFolder { get; init; }

    /// <summary>Studies in the dataset (the figure: 1,000).</summary>
    public int Studies { get; init; } = 1_000;

    /// <summary>Series per study (the figure: 3).</summary>
    public int SeriesPerStudy { get; init; } = 3;

    /// <summary>Instances per series.</summary>
    public int InstancesPerSeries { get; init; } = 4;

    /// <summary>Pixel data per instance (a 256×256 16-bit slice is 128 KiB).</summary>
    public int PixelBytes { get; init; } = 128 * 1024;

    /// <summary>Measured rounds of each; the medians are compared.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Series read and hashed at once, for both (default: processor count).</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;
}

/// <summary>What <see cref="CreationRatioBenchmark"/> measured.</summary>
/// <param name="Creation">Median time of a whole creation (check, prune, read headers, lay out, hash).</param>
/// <param name="HasherAlone">Median time of <see cref="DatasetHasher"/> alone over the same dataset.</param>
/// <param name="Files">Files in the dataset.</param>
/// <param name="Bytes">Bytes in the dataset.</param>
internal sealed record CreationRatio(TimeSpan Creation, TimeSpan HasherAlone, int Files, long Bytes)
{
    /// <summary>Creation time over hashing time (the issue asks at most 1.5).</summary>
    public double Ratio => Creation.TotalSeconds / HasherAlone.TotalSeconds;
}

/// <summary>
/// Measures dataset creation against <see cref="DatasetHasher"/> alone over the same files, for the service benchmark's
/// <c>create_ratio</c>: builds a synthetic lake of studies × series × instances, creates one dataset to warm the page
/// cache, then alternates a hash of that dataset with a whole creation of another dataset over the same studies, and
/// compares the medians. Both run with the same parallelism on the same warm files, so the ratio is what creation adds
/// to hashing: listing and checking paths, reading one header per series, links, index and eForms.
/// </summary>
internal static class CreationRatioBenchmark
{
    public static async Task<CreationRatio> MeasureAsync(CreationRatioOptions options, TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var lakePath = Path.Combine(options.WorkFolder, "lake");
        var datasetsPath = Path.Combine(options.WorkFolder, "datasets");
        if (Directory.Exists(options.WorkFolder)) Directory.Delete(options.WorkFolder, recursive: true);
        Directory.CreateDirectory(datasetsPath);
        try
        {
            var watch = Stopwatch.StartNew();
            var (studies, files, bytes) = await WriteLakeAsync(lakePath, options, cancellationToken);
            log?.WriteLine($"create_ratio: lake of {options.Studies} studies x {options.SeriesPerStudy} series x {options.InstancesPerSeries} instances ({files} files, {bytes / (1024 * 1024)} MiB) written in {watch.Elapsed.TotalSeconds:F1} s");

            var creator = new DatasetCreator(new LocalFolderDataLake(lakePath), datasetsPath, options.MaxDegreeOfParallelism);
            var warm = Request(studies);
            await creator.CreateAsync(warm, null, cancellationToken);
            var hasherOptions = new DatasetHasherOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
            var creations = new List<TimeSpan>();
            var hashes = new List<TimeSpan>();
            for (var round = 0; round < options.Rounds; round++)
            {
                watch.Restart();
                await DatasetHasher.ComputeAsync(creator.DatasetFolder(warm.DatasetId), hasherOptions, cancellationToken);
                hashes.Add(watch.Elapsed);

                var request = Request(studies);
                var stages = new StageTimes(watch);
                watch.Restart();
                await creator.CreateAsync(request, stages, cancellationToken);
                creations.Add(watch.Elapsed);
                creator.RemoveLayout(request.DatasetId);
                log?.WriteLine($"create_ratio: round {round + 1}: creation {creations[^1].TotalSeconds:F2} s ({stages.Describe(creations[^1])}), DatasetHasher alone {hashes[^1].TotalSeconds:F2} s");
            }

            return new CreationRatio(Median(creations), Median(hashes), files, bytes);
        }
        finally
        {
            Directory.Delete(options.WorkFolder, recursive: true);
        }
    }

    private static DatasetCreationRequest Request(IReadOnlyList<SelectedStudy> studies) => new()
    {
        DatasetId = Guid.NewGuid().ToString(),
        AuthorId = "benchmark",
        Studies = studies,
        Subjects = [.. studies.Select(s => s.SubjectName).Distinct().Select(s => new SubjectEform(s, default))],
    };

    /// <summary>Writes a synthetic lake of <paramref name="options"/>' size (also what the crash tests create datasets from).</summary>
    internal static async Task<(List<SelectedStudy> Studies, int Files, long Bytes)> WriteLakeAsync(string lakePath, CreationRatioOptions options, CancellationToken cancellationToken)
    {
        var instance = Instance(options.PixelBytes);
        var studies = new List<SelectedStudy>(options.Studies);
        var files = 0;
        for (var s = 0; s < options.Studies; s++)
        {
            // four studies per subject, as a longitudinal collection would have
            var subject = $"SUBJ{s / 4:D5}";
            var path = $"site/{subject}/STUDY{s:D5}";
            var series = new List<SelectedSeries>();
            for (var r = 0; r < options.SeriesPerStudy; r++)
            {
                var folder = Path.Combine(lakePath, path, $"SE{r}");
                Directory.CreateDirectory(folder);
                for (var i = 0; i < options.InstancesPerSeries; i++)
                {
                    await File.WriteAllBytesAsync(Path.Combine(folder, $"{i:D4}.dcm"), instance, cancellationToken);
                    files++;
                }

                series.Add(new SelectedSeries($"SE{r}", ["Axial"]));
            }

            studies.Add(new SelectedStudy { StudyId = $"study-{s}", StudyName = "CT", SubjectName = subject, PathInDatalake = path, Series = series, Url = "" });
        }

        return (studies, files, (long)files * instance.Length);
    }

    private static byte[] Instance(int pixelBytes)
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.1");
        dataset.SetString(DicomTags.StudyDate, "20200101");
        dataset.SetString(DicomTags.Modality, "CT");
        dataset.SetString(DicomTags.Manufacturer, "SIEMENS");
        dataset.SetString(DicomTags.PatientAge, "061Y");
        dataset.SetString(DicomTags.PatientSex, "F");
        dataset.SetString(DicomTags.BodyPartExamined, "CHEST");
        var side = (ushort)Math.Max(1, (int)Math.Sqrt(pixelBytes / 2));
        dataset.SetValues<ushort>(DicomTags.Rows, DicomVR.US, side);
        dataset.SetValues<ushort>(DicomTags.Columns, DicomVR.US, side);
        dataset.SetValues<ushort>(DicomTags.BitsAllocated, DicomVR.US, 16);
        var pixels = new ushort[side * side];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (ushort)(i * 2654435761u >> 20); // not all zeros
        dataset.SetValues<ushort>(DicomTags.PixelData, DicomVR.OW, pixels);
        using var buffer = new MemoryStream();
        new DicomFile(dataset).WriteTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>When each step of a creation began, to say where its time went.</summary>
    private sealed class StageTimes(Stopwatch watch) : IProgress<DatasetCreationProgress>
    {
        private readonly Lock _lock = new();
        private readonly List<(DatasetCreationStage Stage, TimeSpan Start)> _starts = [];

        public void Report(DatasetCreationProgress value)
        {
            lock (_lock)
            {
                if (_starts.Count == 0 || _starts[^1].Stage != value.Stage) _starts.Add((value.Stage, watch.Elapsed));
            }
        }

        public string Describe(TimeSpan end)
        {
            lock (_lock)
            {
                return string.Join(", ", _starts.Select((s, i) => $"{s.Stage} {((i + 1 < _starts.Count ? _starts[i + 1].Start : end) - s.Start).TotalSeconds:F2}"));
            }
        }
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
