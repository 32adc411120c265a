using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Storage;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Upload;

/// <summary>
/// The provider pipeline to a dataset, from a PACS or from a folder of DICOM files: each study is made ready (retrieved
/// through WADO-RS to a work folder, streamed instance by instance; or, from a folder, the files that carry its Study
/// Instance UID, read where they lie), de-identified and uploaded to the lake by <see cref="DeidentifyingUploader"/>,
/// and recorded in a journal; then the dataset is created from the de-identified study folders through the dataset
/// service, and the run waits for the creation (which records the CREATE_DATASET trace with the content's hashes). A
/// rerun with the same journal skips the studies already uploaded and waits for the creation already started. Memory
/// stays bounded by the de-identification batches whatever the size of a study (a folder's scan keeps only paths);
/// disk by one study. Not thread-safe: one run at a time.
/// </summary>
public sealed partial class DatasetUploader
{
    private readonly DicomWebClient? _pacs;
    private readonly IDataLakeStorage _lake;
    private readonly DatasetsClient _datasets;
    private readonly DatasetUploadOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the pipeline from a PACS (it uploads folders too).</summary>
    /// <param name="source">The PACS.</param>
    /// <param name="lake">The data lake the dataset service reads.</param>
    /// <param name="datasets">The dataset service.</param>
    /// <param name="options">Work folder, de-identification and release settings, or null for the defaults.</param>
    /// <param name="logger">The log (counts and ids only, never a patient's data), or null for none.</param>
    public DatasetUploader(DicomWebClient source, IDataLakeStorage lake, DatasetsClient datasets, DatasetUploadOptions? options = null,
        ILogger<DatasetUploader>? logger = null)
        : this(lake, datasets, options, logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        _pacs = source;
    }

    /// <summary>Creates the pipeline without a PACS, with the default settings: it uploads folders (<see cref="UploadFolderAsync"/>).</summary>
    /// <param name="lake">The data lake the dataset service reads.</param>
    /// <param name="datasets">The dataset service.</param>
    public DatasetUploader(IDataLakeStorage lake, DatasetsClient datasets)
        : this(lake, datasets, null, null)
    {
    }

    /// <summary>Creates the pipeline without a PACS: it uploads folders (<see cref="UploadFolderAsync"/>).</summary>
    /// <param name="lake">The data lake the dataset service reads.</param>
    /// <param name="datasets">The dataset service.</param>
    /// <param name="options">De-identification and release settings, or null for the defaults.</param>
    /// <param name="logger">The log (counts and ids only, never a patient's data), or null for none.</param>
    public DatasetUploader(IDataLakeStorage lake, DatasetsClient datasets, DatasetUploadOptions? options, ILogger<DatasetUploader>? logger)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(datasets);
        _lake = lake;
        _datasets = datasets;
        _options = options ?? new DatasetUploadOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Pulls, de-identifies and uploads the studies of <paramref name="request"/>, then creates the dataset and waits for it.</summary>
    /// <param name="request">The studies, the dataset's metadata, the lake prefix, the de-identification key and the journal.</param>
    /// <param name="progress">Told of each study and of each change in the creation's status, or null.</param>
    /// <param name="cancellationToken">Stops the run; the journal keeps what is finished, and a rerun goes on from there.</param>
    /// <returns>Every study's outcome and the created dataset (null when a study failed, or none was asked for: nothing is created from a partial or empty upload).</returns>
    /// <exception cref="DatasetCreationFailedException">The service could not create the dataset.</exception>
    /// <exception cref="UploadJournalMismatchException">The journal belongs to a run with another key prefix.</exception>
    /// <exception cref="InvalidOperationException">The uploader was created without a PACS.</exception>
    public async Task<DatasetUploadReport> UploadAsync(DatasetUploadRequest request, IProgress<DatasetUploadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.StudyInstanceUids);
        if (_pacs is null) throw new InvalidOperationException("this DatasetUploader has no PACS: create it with a DicomWebClient, or upload a folder with UploadFolderAsync");
        var work = Path.GetFullPath(_options.WorkFolder ?? Path.Combine(Path.GetTempPath(), "imagingrepo-pull-" + Guid.NewGuid().ToString("N")));
        try
        {
            return await RunAsync(new DicomWebStudySource(_pacs, work), request.StudyInstanceUids, [],
                new Target(request.Dataset, request.KeyPrefix, request.Key, request.JournalPath), progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_options.WorkFolder is null && Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// De-identifies and uploads the DICOM files of a folder, study by study, then creates the dataset and waits for it.
    /// The files are grouped into studies by the Study Instance UID of their headers; files that are not DICOM are
    /// reported in <see cref="DatasetUploadReport.Files"/> and left out.
    /// </summary>
    /// <param name="request">The folder, the dataset's metadata, the lake prefix, the de-identification key and the journal.</param>
    /// <param name="progress">Told while the headers are read, of each study, and of each change in the creation's status, or null.</param>
    /// <param name="cancellationToken">Stops the run; the journal keeps what is finished, and a rerun goes on from there.</param>
    /// <returns>
    /// Every study's outcome, the files in no study, and the created dataset (null when a study or a DICOM file failed,
    /// or the folder holds no study: nothing is created from a partial or empty upload).
    /// </returns>
    /// <exception cref="DirectoryNotFoundException">There is no such folder.</exception>
    /// <exception cref="DatasetCreationFailedException">The service could not create the dataset.</exception>
    /// <exception cref="UploadJournalMismatchException">The journal belongs to a run with another key prefix.</exception>
    public async Task<DatasetUploadReport> UploadFolderAsync(DatasetFolderUploadRequest request, IProgress<DatasetUploadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Folder);
        var scan = DicomFolderScan.Read(request.Folder,
            (files, studies) => progress?.Report(new DatasetUploadProgress(DatasetUploadStage.Scanning, 0, studies, files, null)), cancellationToken);
        return await RunAsync(new FolderStudySource(scan), scan.StudyInstanceUids, scan.Files,
            new Target(request.Dataset, request.KeyPrefix, request.Key, request.JournalPath), progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pipeline after the source: each study de-identified, uploaded and journalled, then the dataset created and awaited.</summary>
    private async Task<DatasetUploadReport> RunAsync(IStudySource source, IReadOnlyList<string> studyInstanceUids, IReadOnlyList<DatasetUploadFile> files,
        Target target, IProgress<DatasetUploadProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target.KeyPrefix);
        var prefix = target.KeyPrefix.Length == 0 || target.KeyPrefix.EndsWith('/') ? target.KeyPrefix : target.KeyPrefix + "/";
        var journal = await DatasetUploadJournal.OpenAsync(target.JournalPath, prefix, cancellationToken).ConfigureAwait(false);
        var uploader = new DeidentifyingUploader(_lake, _options.Deidentification);
        var items = new List<DatasetUploadItem>(studyInstanceUids.Count);
        var instances = 0;
        var total = studyInstanceUids.Count;
        foreach (var uid in studyInstanceUids)
        {
            if (journal.Studies.TryGetValue(uid, out var done))
            {
                items.Add(new DatasetUploadItem(uid, DatasetUploadOutcome.Skipped, 0, done.Quarantined, LakePaths(prefix, done), null));
                continue;
            }

            progress?.Report(new DatasetUploadProgress(source.PreparingStage, items.Count, total, instances, null));
            var item = await UploadStudyAsync(source, uid, items.Count + 1, prefix, target.Key, uploader, journal, cancellationToken).ConfigureAwait(false);
            instances += item.Instances;
            items.Add(item);
            progress?.Report(new DatasetUploadProgress(DatasetUploadStage.Uploading, items.Count, total, instances, null));
        }

        var failedFiles = files.Count(f => f.Outcome == DatasetUploadFileOutcome.Failed);
        if (items.Any(i => i.Outcome == DatasetUploadOutcome.Failed) || failedFiles > 0 || total == 0)
        {
            if (total == 0) Log.NoStudies(_logger);
            if (failedFiles > 0) Log.FilesFailed(_logger, failedFiles);
            Log.NotCreated(_logger, items.Count(i => i.Outcome == DatasetUploadOutcome.Failed), total);
            progress?.Report(new DatasetUploadProgress(DatasetUploadStage.Finished, items.Count, total, instances, null));
            return new DatasetUploadReport(items, null) { Files = files };
        }

        var operation = journal.OperationId is { } started
            ? _datasets.GetCreationOperation(started)
            : await StartCreationAsync(studyInstanceUids, target.Dataset, prefix, journal, cancellationToken).ConfigureAwait(false);
        var creation = new Progress(status => progress?.Report(new DatasetUploadProgress(DatasetUploadStage.Creating, items.Count, total, instances, status)));
        var dataset = await operation.WaitForCompletionAsync(creation, cancellationToken).ConfigureAwait(false);
        if (_options.Release && dataset.Draft == true)
        {
            await _datasets.ReleaseAsync(operation.Id, cancellationToken).ConfigureAwait(false);
            dataset = await _datasets.GetDatasetAsync(operation.Id, cancellationToken).ConfigureAwait(false);
        }

        Log.Created(_logger, operation.Id, items.Count(i => i.Outcome == DatasetUploadOutcome.Uploaded), items.Count(i => i.Outcome == DatasetUploadOutcome.Skipped));
        progress?.Report(new DatasetUploadProgress(DatasetUploadStage.Finished, items.Count, total, instances, null));
        return new DatasetUploadReport(items, dataset) { Files = files };
    }

    private async Task<DatasetUploadItem> UploadStudyAsync(IStudySource source, string uid, int position, string prefix, DeidentificationKey key,
        DeidentifyingUploader uploader, DatasetUploadJournal journal, CancellationToken cancellationToken)
    {
        SourceStudy study;
        try
        {
            study = await source.PrepareAsync(uid, cancellationToken).ConfigureAwait(false);
        }
        catch (StudyUnavailableException e)
        {
            Log.StudyFailed(_logger, position, e.Stage, e.Cause);
            return new DatasetUploadItem(uid, DatasetUploadOutcome.Failed, 0, 0, [], e.Message);
        }

        using (study)
        {
            var report = await uploader.UploadAsync(study.Inputs, prefix, key, null, cancellationToken).ConfigureAwait(false);
            if (!report.Succeeded)
            {
                var reason = string.Join("; ", report.DeidentificationFailures.Select(f => "de-identification: " + f.Reason)
                    .Concat(report.UploadFailures.Select(f => $"upload of {f.Key}: {f.Reason}")));
                Log.StudyFailed(_logger, position, "de-identify and upload",
                    $"{report.DeidentificationFailures.Count} de-identification and {report.UploadFailures.Count} upload failures");
                return new DatasetUploadItem(uid, DatasetUploadOutcome.Failed, study.Instances, report.Quarantined, [], reason);
            }

            var lake = LakeStudies(prefix, report.Uploads.Select(u => u.Key));
            await journal.RecordStudyAsync(new JournalStudy(uid, study.Instances, report.Quarantined, lake), cancellationToken).ConfigureAwait(false);
            return new DatasetUploadItem(uid, lake.Count == 0 ? DatasetUploadOutcome.Quarantined : DatasetUploadOutcome.Uploaded, study.Instances,
                report.Quarantined, LakePaths(prefix, journal.Studies[uid]), null);
        }
    }

    private async Task<DatasetCreationOperation> StartCreationAsync(IReadOnlyList<string> studyInstanceUids, DatasetCreationRequest metadata, string prefix,
        DatasetUploadJournal journal, CancellationToken cancellationToken)
    {
        var studies = studyInstanceUids.Where(journal.Studies.ContainsKey).SelectMany(uid => journal.Studies[uid].Lake)
            .DistinctBy(s => (s.Subject, s.Study)).ToList();
        var dataset = metadata with
        {
            Studies = [.. studies.Select(s => new StudyCreation
            {
                StudyId = s.Study,
                StudyName = s.Study,
                SubjectName = s.Subject,
                PathInDatalake = $"{prefix}{s.Subject}/{s.Study}",
                Series = [.. s.Series.Select(f => new Series { FolderName = f })],
            })],
            Subjects = [.. studies.Select(s => s.Subject).Distinct(StringComparer.Ordinal).Select(s => new Subject { SubjectName = s })],
        };
        var operation = await _datasets.StartCreateDatasetAsync(dataset, cancellationToken).ConfigureAwait(false);
        await journal.RecordOperationAsync(operation.Id, cancellationToken).ConfigureAwait(false);
        return operation;
    }

    /// <summary>The study folders and their series from the uploaded keys (<c>prefix/subject/study/series/instance.dcm</c>).</summary>
    private static List<JournalLakeStudy> LakeStudies(string prefix, IEnumerable<string> keys) =>
        [.. keys.Select(k => k[prefix.Length..].Split('/'))
            .Where(parts => parts.Length == 4)
            .GroupBy(parts => (Subject: parts[0], Study: parts[1]))
            .OrderBy(g => g.Key.Subject, StringComparer.Ordinal).ThenBy(g => g.Key.Study, StringComparer.Ordinal)
            .Select(g => new JournalLakeStudy(g.Key.Subject, g.Key.Study, [.. g.Select(p => p[2]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))];

    private static IReadOnlyList<string> LakePaths(string prefix, JournalStudy study) => [.. study.Lake.Select(s => $"{prefix}{s.Subject}/{s.Study}")];

    /// <summary>What both kinds of request share: the dataset's metadata, the lake prefix, the key and the journal.</summary>
    private sealed record Target(DatasetCreationRequest Dataset, string KeyPrefix, DeidentificationKey Key, string JournalPath);

    /// <summary>Reports synchronously: the creation's statuses arrive in order, from one polling loop.</summary>
    private sealed class Progress(Action<DatasetCreationStatus> report) : IProgress<DatasetCreationStatus>
    {
        public void Report(DatasetCreationStatus value) => report(value);
    }

    private static partial class Log
    {
        // By position in the request, never by UID: the log leaves the hospital, the UIDs must not.
        [LoggerMessage(1, LogLevel.Warning, "Study {Position} of the request could not be uploaded ({Stage}: {Cause}); the report gives the reason")]
        public static partial void StudyFailed(ILogger logger, int position, string stage, string cause);

        [LoggerMessage(2, LogLevel.Warning, "{Failed} of {Total} studies failed: the dataset is not created; rerun with the same journal to retry them")]
        public static partial void NotCreated(ILogger logger, int failed, int total);

        [LoggerMessage(3, LogLevel.Information, "Dataset {DatasetId} created from {Uploaded} studies uploaded now and {Skipped} uploaded before")]
        public static partial void Created(ILogger logger, string datasetId, int uploaded, int skipped);

        [LoggerMessage(5, LogLevel.Warning, "The source holds no study: no (empty) dataset is created")]
        public static partial void NoStudies(ILogger logger);

        [LoggerMessage(4, LogLevel.Warning, "{Files} DICOM files of the folder could not be read: the dataset is not created; the report names them")]
        public static partial void FilesFailed(ILogger logger, int files);
    }
}
