using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Datasets.InSitu;
using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Tests.DicomWeb;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Traces;
using ImagingRepo.Client.Upload;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Tests.Upload;

/// <summary>
/// The provider pipeline end to end: studies in Orthanc are pulled with WADO-RS, de-identified, uploaded to the
/// local-folder lake the reference service reads, and made a dataset whose CREATE_DATASET trace carries the hashes of
/// what was uploaded; an interrupted run resumes from its journal without pulling finished studies again.
/// </summary>
public sealed class DatasetUploaderTests(OrthancServer orthanc, LakeReferenceService service)
    : IClassFixture<OrthancServer>, IClassFixture<LakeReferenceService>, IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-dataset-upload-");

    public void Dispose() => _temp.Delete(recursive: true);

    private DicomWebClient Pacs() => new(new Uri(orthanc.Url.TrimEnd('/') + "/dicom-web/"), null, null);

    private DatasetUploadRequest Request(IReadOnlyList<string> studies, string prefix, DeidentificationKey key) => new()
    {
        StudyInstanceUids = studies,
        Dataset = new DatasetCreationRequest
        {
            Name = ImagingRepo.Client.Tests.Datasets.DatasetsClientTests.Unique("pulled from the PACS"), Version = "1", Project = "ALPHA", Description = "Studies pulled from Orthanc by the pipeline.",
            Provenance = "test PACS", Purpose = "tests", Type = [DatasetType.Original], CollectionMethod = [CollectionMethod.Cohort],
        },
        KeyPrefix = prefix,
        Key = key,
        JournalPath = Path.Combine(_temp.FullName, "journal.jsonl"),
    };

    [SkippableFact]
    public async Task Studies_are_pulled_deidentified_uploaded_and_made_a_dataset_whose_trace_has_their_hashes_resuming_after_an_interruption()
    {
        orthanc.Require();
        service.Require();
        var pacs = Pacs();
        var patient = OrthancSeed.NewPatientId("PIPE");
        var first = await OrthancSeed.StoreStudyAsync(pacs, Path.Combine(_temp.FullName, "a"), patient, "CT", new DateOnly(2024, 3, 1), series: 2, instancesPerSeries: 2);
        var second = await OrthancSeed.StoreStudyAsync(pacs, Path.Combine(_temp.FullName, "b"), patient, "CT", new DateOnly(2024, 4, 1), 1, 1, withCorpusCt: true);
        var found = new List<string>();
        await foreach (var study in pacs.SearchStudiesAsync(new DicomWebStudyQuery { PatientId = patient, Modality = "CT" })) found.Add(study.StudyInstanceUid);
        found.Sort(StringComparer.Ordinal);
        var prefix = "site-" + Guid.NewGuid().ToString("N")[..8] + "/";
        var request = Request(found, prefix, DeidentificationKey.Generate());
        var lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var curator = service.ClientOf("persona-curator");
        var uploader = new DatasetUploader(pacs, lake, curator.Datasets, new DatasetUploadOptions { WorkFolder = Path.Combine(_temp.FullName, "work") });

        // The first run stops once one study is uploaded, as a killed run would.
        using var stop = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => uploader.UploadAsync(request,
            new SynchronousProgress<DatasetUploadProgress>(p => { if (p is { Stage: DatasetUploadStage.Uploading, StudiesDone: 1 }) stop.Cancel(); }), stop.Token));
        var keysAfterFirstRun = await Keys(lake, prefix);
        Assert.NotEmpty(keysAfterFirstRun);

        var stages = new List<DatasetUploadProgress>();
        var report = await uploader.UploadAsync(request, new SynchronousProgress<DatasetUploadProgress>(stages.Add));

        Assert.True(report.Succeeded, string.Join("; ", report.Failures.Select(f => f.Reason)));
        Assert.Equal([DatasetUploadOutcome.Skipped, DatasetUploadOutcome.Uploaded], report.Items.Select(i => i.Outcome));
        var expectedInstances = new[] { first, second }.ToDictionary(s => s.StudyInstanceUid, s => s.InstanceCount);
        Assert.Equal(expectedInstances[found[1]], report.Items[1].Instances);
        Assert.Contains(stages, s => s.Stage == DatasetUploadStage.Creating && s.Creation is not null);
        Assert.Equal(DatasetUploadStage.Finished, stages[^1].Stage);

        // The lake holds only de-identified studies, the first run's objects untouched.
        var keys = await Keys(lake, prefix);
        Assert.Equal(first.InstanceCount + second.InstanceCount, keys.Count);
        Assert.Subset(keys.ToHashSet(), keysAfterFirstRun.ToHashSet());
        Assert.DoesNotContain(keys, k => k.Contains(patient, StringComparison.Ordinal) || k.Contains(first.StudyInstanceUid, StringComparison.Ordinal));
        foreach (var key in keys)
        {
            var dataset = DicomFile.Open(Path.Combine(service.LakePath, key)).Dataset;
            Assert.NotEqual(OrthancSeed.PatientName, dataset.GetString(DicomTags.PatientName));
            Assert.NotEqual(patient, dataset.GetString(DicomTags.PatientID));
        }

        // The dataset: both studies, one subject, as laid out in the lake.
        var created = report.Dataset!;
        Assert.Equal((2, 1), (created.StudiesCount, created.SubjectsCount));
        var studies = new List<Study>();
        await foreach (var study in curator.Datasets.GetStudiesAsync(created.Id!)) studies.Add(study);
        Assert.Equal(report.Items.SelectMany(i => i.LakeStudies).Order(StringComparer.Ordinal),
            studies.Select(s => $"{prefix}{s.SubjectName}/{s.StudyId}").Order(StringComparer.Ordinal));

        // Its CREATE_DATASET trace carries the hashes of the dataset as the service laid it out from the lake.
        var tracer = new TracesClient(service.BaseAddress, service.Persona("persona-reader"), null);
        var listed = new List<TracerV1ListedTrace>();
        await foreach (var t in tracer.GetV1TracesAsync(new TracerV1Query { DatasetIds = [created.Id!], UserActions = [TraceUserAction.CreateDataset] })) listed.Add(t);
        var stored = Assert.Single(await tracer.GetV1TraceAsync(Assert.Single(listed).Summary.Id));
        var creation = Assert.IsType<CreateDatasetTrace>(stored.Trace!.Trace);
        Assert.Contains(creation.TraceResources, r => r.Id == "images" && !string.IsNullOrEmpty(r.ContentHash));
        var folder = await DatasetFolder.OpenAsync(service.DatasetPath(created.Id!));
        var check = await folder.VerifyAsync(creation);
        Assert.True(check.IsIntact, string.Join("; ", check.Mismatches));

        // A third run with the same journal pulls nothing and finds the same dataset rather than creating another.
        var again = await uploader.UploadAsync(request);
        Assert.All(again.Items, i => Assert.Equal(DatasetUploadOutcome.Skipped, i.Outcome));
        Assert.Equal(created.Id, again.Dataset!.Id);
    }

    [SkippableFact]
    public async Task Unknown_study_fails_with_its_reason_and_no_dataset_is_created()
    {
        orthanc.Require();
        service.Require();
        var pacs = Pacs();
        var known = await OrthancSeed.StoreStudyAsync(pacs, Path.Combine(_temp.FullName, "a"), OrthancSeed.NewPatientId("PIPE"), "MR", new DateOnly(2024, 5, 1), 1, 1);
        var unknown = MinimalDicomFile.NewUid();
        var lake = new LocalFolderDataLakeStorage(service.LakePath);
        using var curator = service.ClientOf("persona-curator");
        var uploader = new DatasetUploader(pacs, lake, curator.Datasets);

        var report = await uploader.UploadAsync(Request([known.StudyInstanceUid, unknown], "site-" + Guid.NewGuid().ToString("N")[..8], DeidentificationKey.Generate()));

        Assert.False(report.Succeeded);
        Assert.Null(report.Dataset);
        Assert.Equal([DatasetUploadOutcome.Uploaded, DatasetUploadOutcome.Failed], report.Items.Select(i => i.Outcome));
        var failure = Assert.Single(report.Failures);
        Assert.Equal(unknown, failure.StudyInstanceUid);
        Assert.Contains("404", failure.Reason, StringComparison.Ordinal);
    }

    private static async Task<List<string>> Keys(IDataLakeStorage lake, string prefix)
    {
        var keys = new List<string>();
        await foreach (var item in lake.ListAsync(prefix)) keys.Add(item.Key);
        return keys;
    }
}
