using System.Collections.Concurrent;
using ImagingRepo.Dicom;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Layout;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Tracing.Hashing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Creation;

/// <summary>
/// One dataset creation, from request to hashes: checks that each study is in the data lake and that no path leaves it,
/// prunes series the lake lacks, reads the first instance of each series, lays the dataset out as links (never copies)
/// with <c>index.json</c> and <c>eforms.json</c>, and computes its hash tree with <see cref="DatasetHasher"/>. It
/// records nothing and stores nothing: <see cref="Operations.DatasetCreationRunner"/> does that around it. Running it
/// again over what an interrupted run left gives the same dataset.
/// </summary>
public sealed class DatasetCreator
{
    private readonly IDataLake _lake;
    private readonly string _datasetsPath;
    private readonly int _parallelism;
    private readonly ILogger _logger;

    /// <summary>Subjects laid out at once: link creation waits on the file system, not the CPU.</summary>
    private int LayoutParallelism => Math.Max(4, _parallelism * 2);

    /// <summary>Creates the creator.</summary>
    /// <param name="lake">The data lake.</param>
    /// <param name="datasetsPath">The folder holding one folder per dataset.</param>
    /// <param name="maxDegreeOfParallelism">Series read and hashed at once.</param>
    /// <param name="logger">Logger, or null for none.</param>
    public DatasetCreator(IDataLake lake, string datasetsPath, int maxDegreeOfParallelism = 0, ILogger<DatasetCreator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentException.ThrowIfNullOrEmpty(datasetsPath);
        _lake = lake;
        _datasetsPath = Path.GetFullPath(datasetsPath);
        _parallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        _logger = logger ?? NullLogger<DatasetCreator>.Instance;
    }

    /// <summary>Creates the creator from the service's options.</summary>
    /// <param name="lake">The data lake.</param>
    /// <param name="options">The options (<see cref="DatasetCreationOptions.DatasetsPath"/>, parallelism).</param>
    /// <param name="logger">Logger.</param>
    public DatasetCreator(IDataLake lake, IOptions<DatasetCreationOptions> options, ILogger<DatasetCreator> logger)
        : this(lake, options?.Value.DatasetsPath ?? throw new ArgumentNullException(nameof(options)), options.Value.MaxDegreeOfParallelism, logger)
    {
    }

    /// <summary>The folder of a dataset once it is created.</summary>
    /// <param name="datasetId">The dataset.</param>
    public string DatasetFolder(string datasetId) => DatasetLayout.FinalFolder(_datasetsPath, datasetId);

    /// <summary>Builds the dataset folder and computes its metadata and hashes.</summary>
    /// <param name="request">What to create.</param>
    /// <param name="progress">Told each step, and how far it got.</param>
    /// <param name="cancellationToken">Cancels the work; what was laid out stays for a later run.</param>
    /// <exception cref="DatasetCreationException">The request is invalid, studies are missing from the lake, or the folder cannot be laid out or hashed.</exception>
    /// <exception cref="DataLakePathException">A study or series path leaves the data lake.</exception>
    public async Task<DatasetCreationResult> CreateAsync(DatasetCreationRequest request, IProgress<DatasetCreationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = DatasetCreationRequestRules.Check(request);
        if (problems.Count > 0) throw new DatasetCreationException("invalid creation request: " + string.Join("; ", problems.Take(5)));

        var (planned, lakeSeries, pruned) = await CheckStudiesAsync(request, progress, cancellationToken);

        // the headers are read while the links are made: one is CPU, the other waits on the file system's metadata
        var reading = ReadFirstInstancesAsync(planned, lakeSeries, progress, cancellationToken);
        var eforms = DatasetLayout.Eforms(request.Subjects);
        var index = DatasetLayout.Index(planned);
        var folder = DatasetLayout.OpenFolder(_datasetsPath, request.DatasetId);
        try
        {
            await DatasetLayout.WriteAsync(folder, planned, index, eforms, LayoutParallelism, cancellationToken);
        }
        catch
        {
            // never leave the reads running behind a failed layout; its exception is the one to report
            try
            {
                await reading;
            }
            catch (Exception e) when (e is DicomException or IOException or OperationCanceledException)
            {
                _logger.LogDebug(e, "Dataset {DatasetId}: reading the headers failed too", request.DatasetId);
            }

            throw;
        }

        var (facts, notes) = await reading;
        progress?.Report(new DatasetCreationProgress(DatasetCreationStage.Hashing));
        DatasetHashTree tree;
        try
        {
            // hashed from the lake, not through the folder's links: an object-store lake is mounted where datasets are
            // used, not necessarily here; the files are those checked above, in the index's order
            tree = await DatasetHasher.ComputeFromStreamsAsync(HashInput(planned, lakeSeries), index, eforms,
                new DatasetHasherOptions { MaxDegreeOfParallelism = _parallelism }, cancellationToken);
        }
        catch (DatasetHashException e)
        {
            throw new DatasetCreationException("the dataset cannot be hashed: " + e.Message, e);
        }

        if (tree.Studies.Count != planned.Count || tree.Index is null || tree.Eforms is null)
        {
            throw new DatasetCreationException($"the hash tree has {tree.Studies.Count} studies for {planned.Count} laid out");
        }

        DatasetLayout.Publish(_datasetsPath, request.DatasetId, folder);
        var eformsBySubject = request.Subjects.ToDictionary(s => s.SubjectName, s => EformFacts.Read(s.EForm), StringComparer.Ordinal);
        var studies = new CreatedStudy[planned.Count];
        for (var i = 0; i < planned.Count; i++)
        {
            if (!eformsBySubject.TryGetValue(planned[i].Study.SubjectName, out var eform))
            {
                eform = EformFacts.None;
                notes.Add($"study \"{planned[i].Study.StudyId}\": subject \"{planned[i].Study.SubjectName}\" has no eForm");
            }

            studies[i] = Describe(planned[i], lakeSeries[i], facts[i], eform, tree.Studies[i]);
        }

        var result = new DatasetCreationResult
        {
            DatasetId = request.DatasetId,
            Metadata = MetadataAggregator.Aggregate(studies, eforms.Length),
            Studies = studies,
            PrunedSeries = pruned,
            IndexHash = Convert.ToBase64String(tree.Index),
            ImagesHash = Convert.ToBase64String(tree.Images),
            ClinicalDataHash = Convert.ToBase64String(tree.Eforms),
            Notes = notes,
        };
        _logger.LogInformation("Dataset {DatasetId} laid out: {Studies} studies, {Series} series, {Pruned} series pruned, {Bytes} bytes",
            request.DatasetId, studies.Length, studies.Sum(s => s.Series.Count), pruned.Count, result.Metadata.SizeInBytes);
        return result;
    }

    /// <summary>Removes what <see cref="CreateAsync"/> laid out for <paramref name="datasetId"/> (its links and files; never the lake).</summary>
    /// <param name="datasetId">The dataset.</param>
    public void RemoveLayout(string datasetId)
    {
        if (!Guid.TryParseExact(datasetId, "D", out _)) throw new ArgumentException("not a dataset id", nameof(datasetId));
        DatasetLayout.Remove(_datasetsPath, datasetId);
    }

    /// <summary>The studies and series as the hasher reads them: each file opened through the lake.</summary>
    private List<DatasetStreamStudy> HashInput(List<PlannedStudy> planned, DataLakeSeries[][] lakeSeries)
    {
        var studies = new List<DatasetStreamStudy>(planned.Count);
        for (var i = 0; i < planned.Count; i++)
        {
            var series = new DatasetStreamSeries[lakeSeries[i].Length];
            for (var j = 0; j < series.Length; j++)
            {
                var files = lakeSeries[i][j].Files;
                series[j] = new DatasetStreamSeries(planned[i].Path + "/" + lakeSeries[i][j].FolderName, files.Count,
                    async (k, ct) => await _lake.OpenReadAsync(files[k], ct));
            }

            studies.Add(new DatasetStreamStudy(planned[i].Path, series));
        }

        return studies;
    }

    private async Task<(List<PlannedStudy> Planned, DataLakeSeries[][] Series, List<PrunedSeries> Pruned)> CheckStudiesAsync(
        DatasetCreationRequest request, IProgress<DatasetCreationProgress>? progress, CancellationToken cancellationToken)
    {
        var count = request.Studies.Count;
        var found = new DataLakeStudy?[count];
        var series = new DataLakeSeries?[count][];
        var done = 0;
        progress?.Report(new DatasetCreationProgress(DatasetCreationStage.CheckingStudies, 0, count));
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var study = request.Studies[i];
            found[i] = await _lake.FindStudyAsync(study.PathInDatalake, ct);
            var list = new DataLakeSeries?[study.Series.Count];
            if (found[i] is { } place)
            {
                for (var j = 0; j < list.Length; j++) list[j] = await _lake.FindSeriesAsync(place, study.Series[j].FolderName, ct);
            }

            series[i] = list;
            var n = Interlocked.Increment(ref done);
            if (n % 100 == 0 || n == count) progress?.Report(new DatasetCreationProgress(DatasetCreationStage.CheckingStudies, n, count));
        });

        var missing = Enumerable.Range(0, count).Where(i => found[i] is null).ToList();
        if (missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(5).Select(i => $"\"{request.Studies[i].StudyId}\" ({request.Studies[i].PathInDatalake})"));
            throw new DatasetCreationException($"{missing.Count} of {count} studies are not in the data lake: {named}{(missing.Count > 5 ? ", ..." : "")}");
        }

        var planned = new List<PlannedStudy>(count);
        var kept = new DataLakeSeries[count][];
        var pruned = new List<PrunedSeries>();
        for (var i = 0; i < count; i++)
        {
            var study = request.Studies[i];
            var keptSelected = new List<SelectedSeries>();
            var keptLake = new List<DataLakeSeries>();
            for (var j = 0; j < study.Series.Count; j++)
            {
                if (series[i][j] is { } s)
                {
                    keptSelected.Add(study.Series[j]);
                    keptLake.Add(s);
                }
                else
                {
                    pruned.Add(new PrunedSeries(study.StudyId, study.Series[j].FolderName));
                }
            }

            planned.Add(new PlannedStudy(study, LakePaths.LastSegment(study.PathInDatalake), found[i]!.LinkTarget, keptSelected));
            kept[i] = [.. keptLake];
        }

        if (pruned.Count > 0) _logger.LogInformation("Dataset {DatasetId}: {Count} selected series are not in the data lake and were pruned", request.DatasetId, pruned.Count);
        return (planned, kept, pruned);
    }

    private async Task<(InstanceFacts?[][] Facts, List<string> Notes)> ReadFirstInstancesAsync(
        List<PlannedStudy> planned, DataLakeSeries[][] series, IProgress<DatasetCreationProgress>? progress, CancellationToken cancellationToken)
    {
        var jobs = new List<(int Study, int Series)>();
        var facts = new InstanceFacts?[planned.Count][];
        for (var i = 0; i < planned.Count; i++)
        {
            facts[i] = new InstanceFacts?[series[i].Length];
            for (var j = 0; j < series[i].Length; j++) jobs.Add((i, j));
        }

        var notes = new ConcurrentBag<(int Study, int Series, string Note)>();
        var done = 0;
        progress?.Report(new DatasetCreationProgress(DatasetCreationStage.ReadingMetadata, 0, jobs.Count));
        await Parallel.ForAsync(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, async (k, ct) =>
        {
            var (i, j) = jobs[k];
            var where = $"study \"{planned[i].Study.StudyId}\", series \"{series[i][j].FolderName}\"";
            if (InstanceFacts.FirstInstanceOf(series[i][j]) is not { } first)
            {
                notes.Add((i, j, where + ": no files"));
            }
            else
            {
                try
                {
                    facts[i][j] = await InstanceFacts.ReadAsync(_lake, first, ct);
                }
                catch (DicomException e)
                {
                    notes.Add((i, j, $"{where}: first instance \"{first.Name}\" is not readable as DICOM ({e.Message})"));
                }
            }

            var n = Interlocked.Increment(ref done);
            if (n % 250 == 0 || n == jobs.Count) progress?.Report(new DatasetCreationProgress(DatasetCreationStage.ReadingMetadata, n, jobs.Count));
        });

        return (facts, notes.OrderBy(n => n.Study).ThenBy(n => n.Series).Select(n => n.Note).ToList());
    }

    private static CreatedStudy Describe(PlannedStudy planned, DataLakeSeries[] lakeSeries, InstanceFacts?[] facts, EformFacts eform, StudyDigest digest)
    {
        var series = new CreatedSeries[lakeSeries.Length];
        for (var j = 0; j < series.Length; j++)
        {
            var f = facts[j];
            series[j] = new CreatedSeries(planned.Series[j].FolderName, planned.Series[j].Tags,
                f is null ? SeriesMetadata.Unknown : new SeriesMetadata(f.Modality, f.BodyPart, f.Manufacturer),
                digest.Series[j].FileCount, digest.Series[j].ByteCount);
        }

        // subject- and study-level attributes are the same in every series: the first series that has a readable instance gives them
        var first = facts.FirstOrDefault(f => f is not null);
        var metadata = new StudyMetadata
        {
            Age = eform.Age ?? first?.Age,
            Sex = eform.Sex ?? first?.Sex,
            Diagnosis = first?.Diagnosis,
            Subproject = first?.ProjectName,
            DiagnosisYear = eform.DiagnosisYear,
            StudyDate = first?.StudyDate,
            BodyParts = Distinct(series.Select(s => s.Metadata.BodyPart)),
            Modalities = Distinct(series.Select(s => s.Metadata.Modality)),
            Manufacturers = Distinct(series.Select(s => s.Metadata.Manufacturer)),
        };

        return new CreatedStudy
        {
            StudyId = planned.Study.StudyId,
            SubjectName = planned.Study.SubjectName,
            Path = planned.Path,
            Series = series,
            Metadata = metadata,
            SizeInBytes = series.Sum(s => s.SizeInBytes),
            Hash = Convert.ToBase64String(digest.Digest),
        };
    }

    private static string[] Distinct(IEnumerable<string?> values) => [.. values.OfType<string>().Distinct(StringComparer.Ordinal)];
}
