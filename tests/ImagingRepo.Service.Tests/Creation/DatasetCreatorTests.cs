using System.Text.Json;
using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Tracing.Hashing;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>Creation from the test lake, on a folder and on Ceph RGW (the same files uploaded by the Client).</summary>
public sealed class DatasetCreatorTests(CreationLake lake, CephLakeCopy ceph) : IClassFixture<CreationLake>, IClassFixture<CephLakeCopy>
{
    private async Task<DatasetCreator> CreatorAsync(LakeKind kind) => new(await ceph.OpenAsync(kind, lake), lake.DatasetsPath, maxDegreeOfParallelism: 2);

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task A_dataset_is_links_to_the_lake_with_an_index_and_eforms_per_the_CHAIMELEON_schemas(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request();
        var progress = new List<DatasetCreationProgress>();

        var result = await creator.CreateAsync(request, new SyncProgress(progress.Add));

        var folder = Path.Combine(lake.DatasetsPath, request.DatasetId);
        Assert.Equal(["index.json", "eforms.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order().Reverse());
        Assert.False(Directory.Exists(Path.Combine(lake.DatasetsPath, "." + request.DatasetId + ".creating")));
        foreach (var study in request.Studies)
        {
            // <subjectName>/<basename(pathInDatalake)> is a link to the lake's study folder, never a copy
            var link = new DirectoryInfo(Path.Combine(folder, study.SubjectName, Path.GetFileName(study.PathInDatalake)));
            Assert.Equal(Path.Combine(lake.LakePath, study.PathInDatalake), link.LinkTarget);
            Assert.Empty(Directory.GetFiles(Path.Combine(folder, study.SubjectName)));
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "index.json")));
        Assert.Equal(JsonValueKind.Array, index.RootElement.ValueKind);
        var entries = index.RootElement.EnumerateArray().ToList();
        Assert.Equal(request.Studies.Count, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var study = request.Studies[i];
            // the schema's required properties, and nothing it does not define
            Assert.Equal(["path", "series", "studyId", "studyName", "subjectName", "url"], entry.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal(study.StudyId, entry.GetProperty("studyId").GetString());
            Assert.Equal(study.StudyName, entry.GetProperty("studyName").GetString());
            Assert.Equal(study.SubjectName, entry.GetProperty("subjectName").GetString());
            Assert.Equal(study.SubjectName + "/" + Path.GetFileName(study.PathInDatalake), entry.GetProperty("path").GetString());
            Assert.Equal(study.Url, entry.GetProperty("url").GetString());
            Assert.True(Uri.IsWellFormedUriString(entry.GetProperty("url").GetString(), UriKind.Absolute));
            var series = entry.GetProperty("series").EnumerateArray().ToList();
            Assert.Equal(study.Series.Select(s => s.FolderName), series.Select(s => s.GetProperty("folderName").GetString()));
            Assert.Equal(study.Series.Select(s => s.Tags), series.Select(s => s.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToList()));
            foreach (var s in series)
            {
                // walking the index reaches the DICOM files through the link
                Assert.NotEmpty(Directory.GetFiles(Path.Combine(folder, entry.GetProperty("path").GetString()!, s.GetProperty("folderName").GetString()!), "*.dcm"));
            }
        }

        using var eforms = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "eforms.json")));
        var subjects = eforms.RootElement.EnumerateArray().ToList();
        Assert.Equal(request.Subjects.Select(s => s.SubjectName), subjects.Select(s => s.GetProperty("subjectName").GetString()));
        Assert.All(subjects, s => Assert.Equal(JsonValueKind.Object, s.GetProperty("eForm").ValueKind));
        Assert.Equal(request.Subjects[1].EForm.GetRawText().Replace(" ", "").Replace("\n", ""), subjects[1].GetProperty("eForm").GetRawText());

        Assert.Equal(request.DatasetId, result.DatasetId);
        Assert.Empty(result.PrunedSeries);
        Assert.Equal([DatasetCreationStage.CheckingStudies, DatasetCreationStage.ReadingMetadata, DatasetCreationStage.Hashing],
            progress.Select(p => p.Stage).Distinct());
        Assert.Equal(new DatasetCreationProgress(DatasetCreationStage.ReadingMetadata, 7, 7), progress.Last(p => p.Stage == DatasetCreationStage.ReadingMetadata));
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task The_hashes_are_those_DatasetHasher_computes_over_the_dataset_folder(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request();

        var result = await creator.CreateAsync(request);

        var tree = await DatasetHasher.ComputeAsync(Path.Combine(lake.DatasetsPath, request.DatasetId));
        Assert.Equal(Convert.ToBase64String(tree.Images), result.ImagesHash);
        Assert.Equal(Convert.ToBase64String(tree.Index!), result.IndexHash);
        Assert.Equal(Convert.ToBase64String(tree.Eforms!), result.ClinicalDataHash);
        Assert.Equal(tree.Studies.Select(s => Convert.ToBase64String(s.Digest)), result.Studies.Select(s => s.Hash));
        Assert.Equal(tree.Studies.Select(s => s.Path), result.Studies.Select(s => s.Path));
        Assert.Equal(tree.Studies.Select(s => s.Series.Sum(r => r.ByteCount)), result.Studies.Select(s => s.SizeInBytes));
        Assert.Equal(CreationLake.Subjects.SelectMany(s => s.Studies).Select(s => s.Series.Select(r => r.Instances)),
            result.Studies.Select(s => s.Series.Select(r => r.FileCount)));

        // the images digest is the lake's content: the same files under another dataset id hash the same
        var again = await creator.CreateAsync(lake.Request() with { Subjects = request.Subjects });
        Assert.Equal(result.ImagesHash, again.ImagesHash);
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task The_aggregates_come_from_the_first_instance_of_each_series_and_the_eforms(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var result = await creator.CreateAsync(lake.Request());

        var m = result.Metadata;
        Assert.Equal(4, m.StudiesCount);
        Assert.Equal(3, m.SubjectsCount);
        Assert.Equal(new PatientAge(30, AgeUnit.Months), m.AgeLow);   // C's DICOM age
        Assert.Equal(new PatientAge(63, AgeUnit.Years), m.AgeHigh);   // B's eForm overrides its DICOM 062Y
        Assert.Equal(0, m.AgeNullCount);
        Assert.Equal([new("Female", 2), new("Male", 1), new("Undifferentiated", 1)], m.Sex);
        Assert.Equal([new("Lung cancer", 2), new("Prostate cancer", 1), new(DatasetMetadata.Unknown, 1)], m.Diagnosis);
        Assert.Equal([new("CT", 3), new("MR", 2)], m.Modality);                       // C1 has a CT and an MR series
        Assert.Equal([new("CHEST", 2), new("PROSTATE", 1), new("ABDOMEN", 1)], m.BodyPart); // C1's MR has none, its CT does
        Assert.Equal([new("Siemens", 2), new("Philips", 1), new("General Electric", 1), new("Canon", 1)], m.Manufacturer);
        Assert.Equal(2019, m.DiagnosisYearLow);
        Assert.Equal(2021, m.DiagnosisYearHigh);
        Assert.Equal(1, m.DiagnosisYearNullCount);
        Assert.Equal(["Axial", "CT", "MR"], m.SeriesTags);
        Assert.Equal(result.Studies.Sum(s => s.SizeInBytes) + new FileInfo(Path.Combine(lake.DatasetsPath, result.DatasetId, "eforms.json")).Length, m.SizeInBytes);

        var a1 = result.Studies[0].Metadata;
        Assert.Equal("Lung cancer", a1.Diagnosis);
        Assert.Equal("Lung cancer CT_only", a1.Subproject);
        Assert.Equal(new PatientAge(45, AgeUnit.Years), a1.Age);
        Assert.Equal("F", a1.Sex);
        Assert.Equal(2021, a1.DiagnosisYear);
        Assert.NotNull(a1.StudyDate);
        var c1 = result.Studies[3];
        Assert.Equal(new SeriesMetadata("CT", "ABDOMEN", "General Electric"), c1.Series[0].Metadata);
        Assert.Equal(new SeriesMetadata("MR", null, "Canon"), c1.Series[1].Metadata);
        Assert.Equal([$"study \"study-C1\": subject \"{c1.SubjectName}\" has no eForm"], result.Notes);
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Selected_series_missing_from_the_lake_are_pruned_from_the_index(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request(null, "A2", "C1");

        var result = await creator.CreateAsync(request);

        Assert.Equal([new PrunedSeries("study-A2", "2.25.999"), new PrunedSeries("study-C1", "2.25.999")], result.PrunedSeries);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(lake.DatasetsPath, request.DatasetId, "index.json")));
        Assert.DoesNotContain("2.25.999", index.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Studies.SelectMany(s => s.Series), s => s.FolderName == "2.25.999");
        Assert.DoesNotContain("missing", result.Metadata.SeriesTags);
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Studies_missing_from_the_lake_fail_the_creation_before_anything_is_laid_out(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request();
        request = request with { Studies = [.. request.Studies, request.Studies[0] with { StudyId = "ghost", PathInDatalake = "nobody/nothing" }] };

        var e = await Assert.ThrowsAsync<DatasetCreationException>(() => creator.CreateAsync(request));

        Assert.Equal("1 of 5 studies are not in the data lake: \"ghost\" (nobody/nothing)", e.Message);
        Assert.False(Directory.Exists(Path.Combine(lake.DatasetsPath, request.DatasetId)));
        Assert.False(Directory.Exists(Path.Combine(lake.DatasetsPath, "." + request.DatasetId + ".creating")));
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Running_again_over_what_a_run_left_gives_the_same_dataset_and_mends_its_links(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request();
        var first = await creator.CreateAsync(request);
        var folder = Path.Combine(lake.DatasetsPath, request.DatasetId);
        var study = request.Studies[0];
        var link = Path.Combine(folder, study.SubjectName, Path.GetFileName(study.PathInDatalake));
        File.Delete(link);
        File.CreateSymbolicLink(link, Path.Combine(lake.LakePath, request.Studies[2].PathInDatalake)); // pointing at another study
        File.CreateSymbolicLink(Path.Combine(folder, study.SubjectName, "stray"), lake.LakePath);    // a link no study wants
        await File.WriteAllTextAsync(Path.Combine(folder, ".index.json.0123.tmp"), "left by a crash");

        var second = await creator.CreateAsync(request);

        Assert.Equal(first.ImagesHash, second.ImagesHash);
        Assert.Equal(first.IndexHash, second.IndexHash);
        Assert.Equal(Path.Combine(lake.LakePath, study.PathInDatalake), new FileInfo(link).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(folder, study.SubjectName, "stray")));
        Assert.False(File.Exists(Path.Combine(folder, ".index.json.0123.tmp")));
        Assert.True(Directory.Exists(lake.LakePath)); // removing the stray link left its target alone
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Removing_a_layout_removes_the_links_and_never_the_lake(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request();
        await creator.CreateAsync(request);
        var lakeFiles = Directory.GetFiles(lake.LakePath, "*", SearchOption.AllDirectories).Length;

        creator.RemoveLayout(request.DatasetId);

        Assert.False(Directory.Exists(Path.Combine(lake.DatasetsPath, request.DatasetId)));
        Assert.Equal(lakeFiles, Directory.GetFiles(lake.LakePath, "*", SearchOption.AllDirectories).Length);
    }

    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task A_request_that_breaks_the_rules_is_refused_before_the_lake_is_read(LakeKind kind)
    {
        var creator = await CreatorAsync(kind);
        var request = lake.Request() with { DatasetId = "../escape" };

        var e = await Assert.ThrowsAsync<DatasetCreationException>(() => creator.CreateAsync(request));

        Assert.Equal("invalid creation request: datasetId: is not a UUID", e.Message);
    }

    private sealed class SyncProgress(Action<DatasetCreationProgress> report) : IProgress<DatasetCreationProgress>
    {
        private readonly Lock _lock = new();

        public void Report(DatasetCreationProgress value)
        {
            lock (_lock) report(value);
        }
    }
}
