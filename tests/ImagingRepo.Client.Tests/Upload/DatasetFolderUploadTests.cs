using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Datasets.InSitu;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Traces;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Tests.Upload;

/// <summary>
/// The provider pipeline from a folder of DICOM files (no PACS): the files are grouped into studies by their headers,
/// de-identified, uploaded to the local-folder lake the reference service reads and made a dataset whose
/// CREATE_DATASET trace carries the hashes of what was uploaded; an interrupted run resumes from its journal, and the
/// files that are not DICOM are reported, not uploaded.
/// </summary>
public sealed class DatasetFolderUploadTests(LakeReferenceService service) : IClassFixture<LakeReferenceService>, IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-folder-upload-");

    public void Dispose() => _temp.Delete(recursive: true);

    private DatasetFolderUploadRequest Request(string folder, string prefix) => new()
    {
        Folder = folder,
        Dataset = new DatasetCreationRequest
        {
            Name = ImagingRepo.Client.Tests.Datasets.DatasetsClientTests.Unique("uploaded from a folder"), Version = "1", Project = "ALPHA",
            Description = "Studies of an export folder uploaded by the pipeline.", Provenance = "test export", Purpose = "tests",
            Type = [DatasetType.Original], CollectionMethod = [CollectionMethod.Cohort],
        },
        KeyPrefix = prefix,
        Key = DeidentificationKey.Generate(),
        JournalPath = Path.Combine(_temp.FullName, "journal.jsonl"),
    };

    [SkippableFact]
    public async Task Folder_studies_are_deidentified_uploaded_and_made_a_dataset_resuming_after_an_interruption()
    {
        service.Require();
        var export = Path.Combine(_temp.FullName, "export");
        var studies = CorpusExport.Write(export, 2, 1);
        var prefix = "site-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var request = Request(export, prefix);
        var lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var curator = service.ClientOf("persona-curator");
        var uploader = new DatasetUploader(lake, curator.Datasets);

        // The first run stops once one study is uploaded, as a killed run would.
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => uploader.UploadFolderAsync(request,
            new SynchronousProgress<DatasetUploadProgress>(p => { if (p is { Stage: DatasetUploadStage.Uploading, StudiesDone: 1 }) stop.Cancel(); }), stop.Token));
        var keysAfterFirstRun = await Keys(lake, prefix);
        Assert.Equal(2, keysAfterFirstRun.Count);

        var stages = new List<DatasetUploadProgress>();
        var report = await uploader.UploadFolderAsync(request, new SynchronousProgress<DatasetUploadProgress>(stages.Add));

        Assert.True(report.Succeeded, string.Join("; ", report.Failures.Select(f => f.Reason)));
        Assert.Equal(studies, report.Items.Select(i => i.StudyInstanceUid));
        Assert.Equal([DatasetUploadOutcome.Skipped, DatasetUploadOutcome.Uploaded], report.Items.Select(i => i.Outcome));
        Assert.Equal(1, report.Items[1].Instances);
        Assert.Equal([("DICOMDIR", DatasetUploadFileOutcome.Ignored), ("notes.txt", DatasetUploadFileOutcome.Ignored)],
            report.Files.Select(f => (Path.GetFileName(f.Path), f.Outcome)));
        Assert.Equal(new DatasetUploadProgress(DatasetUploadStage.Scanning, 0, 2, 5, null), stages[0]);
        Assert.Contains(stages, s => s.Stage == DatasetUploadStage.Creating && s.Creation is not null);
        Assert.Equal(DatasetUploadStage.Finished, stages[^1].Stage);

        // The lake holds only the de-identified instances, the first run's objects untouched.
        var keys = await Keys(lake, prefix);
        Assert.Equal(3, keys.Count);
        Assert.Subset(keys.ToHashSet(), keysAfterFirstRun.ToHashSet());
        Assert.DoesNotContain(keys, k => studies.Any(s => k.Contains(s, StringComparison.Ordinal)));
        foreach (var key in keys)
        {
            var dataset = DicomFile.Open(Path.Combine(service.LakePath, key)).Dataset;
            Assert.NotEqual(CorpusExport.PatientName, dataset.GetString(DicomTags.PatientName));
            Assert.DoesNotContain(dataset.GetString(DicomTags.StudyInstanceUID), studies);
        }

        // The dataset: both studies as laid out in the lake, and a CREATE_DATASET trace whose hashes the files verify.
        var created = report.Dataset!;
        Assert.Equal(2, created.StudiesCount);
        var listed = new List<Study>();
        await foreach (var study in curator.Datasets.GetStudiesAsync(created.Id!)) listed.Add(study);
        Assert.Equal(report.Items.SelectMany(i => i.LakeStudies).Order(StringComparer.Ordinal),
            listed.Select(s => $"{prefix}{s.SubjectName}/{s.StudyId}").Order(StringComparer.Ordinal));
        var tracer = new TracesClient(service.BaseAddress, service.Persona("persona-reader"), null);
        var traces = new List<TracerV1ListedTrace>();
        await foreach (var t in tracer.GetV1TracesAsync(new TracerV1Query { DatasetIds = [created.Id!], UserActions = [TraceUserAction.CreateDataset] })) traces.Add(t);
        var stored = Assert.Single(await tracer.GetV1TraceAsync(Assert.Single(traces).Summary.Id));
        var check = await (await DatasetFolder.OpenAsync(service.DatasetPath(created.Id!))).VerifyAsync(Assert.IsType<CreateDatasetTrace>(stored.Trace!.Trace));
        Assert.True(check.IsIntact, string.Join("; ", check.Mismatches));

        // A third run with the same journal uploads nothing and finds the same dataset rather than creating another.
        var again = await uploader.UploadFolderAsync(request);
        Assert.All(again.Items, i => Assert.Equal(DatasetUploadOutcome.Skipped, i.Outcome));
        Assert.Equal(created.Id, again.Dataset!.Id);
    }

    [SkippableFact]
    public async Task A_broken_dicom_file_is_reported_and_no_dataset_is_created_from_the_rest()
    {
        service.Require();
        var export = Path.Combine(_temp.FullName, "export");
        CorpusExport.Write(export, 1);
        var broken = Path.Combine(export, "study-1", "series-1", "IM9999.dcm");
        var whole = await File.ReadAllBytesAsync(Path.Combine(export, "study-1", "series-1", "IM0001.dcm"));
        await File.WriteAllBytesAsync(broken, whole[..150]); // the preamble and DICM, then cut off in the meta group
        var lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var curator = service.ClientOf("persona-curator");

        var report = await new DatasetUploader(lake, curator.Datasets).UploadFolderAsync(Request(export, "site-" + Guid.NewGuid().ToString("N")[..8]));

        Assert.False(report.Succeeded);
        Assert.Null(report.Dataset);
        Assert.Equal(DatasetUploadOutcome.Uploaded, Assert.Single(report.Items).Outcome);
        var failed = Assert.Single(report.Files, f => f.Outcome == DatasetUploadFileOutcome.Failed);
        Assert.Equal(broken, failed.Path);
        Assert.False(string.IsNullOrEmpty(failed.Reason));
    }

    [SkippableFact]
    public async Task A_folder_without_studies_makes_no_dataset_and_a_journal_of_another_prefix_is_refused()
    {
        service.Require();
        var export = Directory.CreateDirectory(Path.Combine(_temp.FullName, "export")).FullName;
        await File.WriteAllTextAsync(Path.Combine(export, "notes.txt"), "nothing to see");
        using var curator = service.ClientOf("persona-curator");
        var uploader = new DatasetUploader(new LocalFolderDataLakeStorage(service.LakePath), curator.Datasets);

        var report = await uploader.UploadFolderAsync(Request(export, "site-a/"));

        Assert.Empty(report.Items);
        Assert.Null(report.Dataset);
        Assert.Equal(DatasetUploadFileOutcome.Ignored, Assert.Single(report.Files).Outcome);
        var refused = await Assert.ThrowsAsync<UploadJournalMismatchException>(() => uploader.UploadFolderAsync(Request(export, "site-b/")));
        Assert.Equal(Path.Combine(_temp.FullName, "journal.jsonl"), refused.JournalPath);
    }

    [SkippableFact]
    public async Task A_missing_folder_is_a_typed_error_and_an_uploader_without_a_pacs_refuses_pacs_studies()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        var uploader = new DatasetUploader(new LocalFolderDataLakeStorage(service.LakePath), curator.Datasets);

        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => uploader.UploadFolderAsync(Request(Path.Combine(_temp.FullName, "none"), "site-x/")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => uploader.UploadAsync(new DatasetUploadRequest
        {
            StudyInstanceUids = ["1.2.3"], Dataset = new DatasetCreationRequest(), KeyPrefix = "site-x/", Key = DeidentificationKey.Generate(),
            JournalPath = Path.Combine(_temp.FullName, "pacs.jsonl"),
        }));
    }

    private static async Task<List<string>> Keys(IDataLakeStorage lake, string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in lake.ListAsync(prefix)) keys.Add(item.Key);
        return keys;
    }
}
