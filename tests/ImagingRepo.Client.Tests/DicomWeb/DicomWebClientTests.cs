using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Dicom;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.DicomWeb;

/// <summary><see cref="DicomWebClient"/> against Orthanc: QIDO-RS by patient, modality and date range into typed results, WADO-RS to disk, STOW-RS, and the typed 404.</summary>
public sealed class DicomWebClientTests(OrthancServer server) : IClassFixture<OrthancServer>, IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("imagingrepo-dicomweb-");

    public void Dispose() => _temp.Delete(recursive: true);

    private DicomWebClient Pacs(int pageSize = 100) =>
        new(new Uri(server.Url.TrimEnd('/') + "/dicom-web/"), null, new DicomWebClientOptions { PageSize = pageSize });

    private string Folder(string name) => Path.Combine(_temp.FullName, name);

    [SkippableFact]
    public async Task Studies_are_found_by_patient_modality_and_date_range()
    {
        server.Require();
        var pacs = Pacs();
        var patient = OrthancSeed.NewPatientId("QIDO");
        var ct = await OrthancSeed.StoreStudyAsync(pacs, Folder("ct"), patient, "CT", new DateOnly(2024, 1, 31), series: 2, instancesPerSeries: 2);
        var mr = await OrthancSeed.StoreStudyAsync(pacs, Folder("mr"), patient, "MR", new DateOnly(2023, 6, 15), series: 1, instancesPerSeries: 1);
        var other = await OrthancSeed.StoreStudyAsync(pacs, Folder("other"), OrthancSeed.NewPatientId("QIDO"), "CT", new DateOnly(2024, 1, 31), 1, 1);

        var byPatient = await Search(pacs, new DicomWebStudyQuery { PatientId = patient });
        Assert.Equal(new[] { ct.StudyInstanceUid, mr.StudyInstanceUid }.Order(StringComparer.Ordinal), byPatient.Select(s => s.StudyInstanceUid).Order(StringComparer.Ordinal));
        var found = byPatient.Single(s => s.StudyInstanceUid == ct.StudyInstanceUid);
        Assert.Equal(patient, found.PatientId);
        Assert.Equal(OrthancSeed.PatientName, found.PatientName);
        Assert.Equal(new DateOnly(2024, 1, 31), found.StudyDate);
        Assert.Equal(["CT"], found.Modalities);
        Assert.Equal((2, 4), (found.SeriesCount, found.InstanceCount));

        Assert.Equal([ct.StudyInstanceUid], (await Search(pacs, new DicomWebStudyQuery { PatientId = patient, Modality = "CT" })).Select(s => s.StudyInstanceUid));
        Assert.Equal([mr.StudyInstanceUid], (await Search(pacs, new DicomWebStudyQuery { PatientId = patient, Modality = "MR" })).Select(s => s.StudyInstanceUid));
        Assert.Equal([ct.StudyInstanceUid], (await Search(pacs, new DicomWebStudyQuery { PatientId = patient, StudyDateFrom = new DateOnly(2024, 1, 1) })).Select(s => s.StudyInstanceUid));
        Assert.Equal([mr.StudyInstanceUid], (await Search(pacs, new DicomWebStudyQuery { PatientId = patient, StudyDateTo = new DateOnly(2023, 12, 31) })).Select(s => s.StudyInstanceUid));
        Assert.Equal([mr.StudyInstanceUid], (await Search(pacs, new DicomWebStudyQuery
        {
            PatientId = patient, StudyDateFrom = new DateOnly(2023, 6, 1), StudyDateTo = new DateOnly(2023, 6, 30),
        })).Select(s => s.StudyInstanceUid));
        Assert.Empty(await Search(pacs, new DicomWebStudyQuery { PatientId = patient, Modality = "US" }));
        // Across patients: the date and modality alone find the other patient's CT too.
        Assert.Contains(other.StudyInstanceUid, (await Search(pacs, new DicomWebStudyQuery
        {
            Modality = "CT", StudyDateFrom = new DateOnly(2024, 1, 31), StudyDateTo = new DateOnly(2024, 1, 31),
        })).Select(s => s.StudyInstanceUid));

        // One study per page: the walk goes on with offset until a short page.
        Assert.Equal(2, (await Search(Pacs(pageSize: 1), new DicomWebStudyQuery { PatientId = patient })).Count);

        var series = new List<DicomWebSeries>();
        await foreach (var s in pacs.SearchSeriesAsync(ct.StudyInstanceUid)) series.Add(s);
        Assert.Equal(ct.Series.Select(s => s.SeriesInstanceUid).Order(StringComparer.Ordinal), series.Select(s => s.SeriesInstanceUid).Order(StringComparer.Ordinal));
        Assert.All(series, s => Assert.Equal(("CT", 2, ct.StudyInstanceUid), (s.Modality, s.InstanceCount, s.StudyInstanceUid)));
        var one = new List<DicomWebSeries>();
        await foreach (var s in pacs.SearchSeriesAsync(ct.StudyInstanceUid, new DicomWebSeriesQuery { SeriesInstanceUid = ct.Series[1].SeriesInstanceUid })) one.Add(s);
        Assert.Equal(ct.Series[1].SeriesInstanceUid, Assert.Single(one).SeriesInstanceUid);
    }

    [SkippableFact]
    public async Task Study_and_series_are_retrieved_to_disk_one_file_per_instance()
    {
        server.Require();
        var pacs = Pacs();
        var study = await OrthancSeed.StoreStudyAsync(pacs, Folder("seed"), OrthancSeed.NewPatientId("WADO"), "CT", new DateOnly(2024, 2, 1), 2, 3);
        var reports = new List<DicomWebRetrieveProgress>();

        var retrieved = await pacs.RetrieveStudyAsync(study.StudyInstanceUid, Folder("pulled"), new SynchronousProgress<DicomWebRetrieveProgress>(reports.Add));

        Assert.Equal(6, retrieved.Files.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6], reports.Select(r => r.Instances));
        Assert.Equal(retrieved.Bytes, retrieved.Files.Sum(f => new FileInfo(f).Length));
        var instances = retrieved.Files.Select(f => DicomFile.Open(f).Dataset).ToList();
        Assert.All(instances, d => Assert.Equal(study.StudyInstanceUid, d.GetString(DicomTags.StudyInstanceUID)));
        Assert.Equal(study.Series.SelectMany(s => s.Instances).Order(StringComparer.Ordinal),
            instances.Select(d => d.GetString(DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFiles(Folder("pulled"), "*.partial"));

        var series = await pacs.RetrieveSeriesAsync(study.StudyInstanceUid, study.Series[0].SeriesInstanceUid, Folder("series"));
        Assert.Equal(study.Series[0].Instances.Order(StringComparer.Ordinal),
            series.Files.Select(f => DicomFile.Open(f).Dataset.GetString(DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Unknown_study_is_a_typed_not_found()
    {
        server.Require();
        var pacs = Pacs();

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => pacs.RetrieveStudyAsync(MinimalDicomFile.NewUid(), Folder("none")));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Folder("none")));
    }

    [SkippableFact]
    public async Task Bytes_that_are_not_dicom_are_refused_by_stow()
    {
        server.Require();
        var file = Path.Combine(_temp.FullName, "note.dcm");
        await File.WriteAllTextAsync(file, "this is not a DICOM file");

        // Orthanc answers 400 with a STOW-RS response whose Failed SOP Sequence is empty (it could not read a UID).
        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => Pacs().StoreAsync([file]));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.Status);
        Assert.StartsWith("POST studies answered 400", error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<DicomWebStudy>> Search(DicomWebClient pacs, DicomWebStudyQuery query)
    {
        var studies = new List<DicomWebStudy>();
        await foreach (var study in pacs.SearchStudiesAsync(query)) studies.Add(study);
        return studies;
    }
}
