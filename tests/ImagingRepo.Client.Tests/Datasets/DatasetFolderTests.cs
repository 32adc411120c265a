using ImagingRepo.Client.Datasets.InSitu;
using ImagingRepo.Client.Tests.DicomWeb;
using ImagingRepo.Dicom;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Tests.Datasets;

/// <summary>
/// A dataset laid out as the platform mounts it: a lake of study folders, and a dataset folder whose subject folders
/// hold links to them, with index.json and eforms.json.
/// </summary>
public sealed class DatasetFolderTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("imagingrepo-dataset-");
    private readonly string _lake;
    private readonly string _dataset;

    public DatasetFolderTests()
    {
        _lake = Path.Combine(_root.FullName, "lake");
        _dataset = Path.Combine(_root.FullName, "datasets", "7e1c7a0e-1a2b-4c3d-9e8f-0123456789ab");
        Directory.CreateDirectory(_dataset);
        // Two subjects; the first has a study with two series, one of which is not selected for the dataset.
        WriteSeries("17B76FEW/CT20150129", "AXT1", 3);
        WriteSeries("17B76FEW/CT20150129", "NOT-SELECTED", 1);
        WriteSeries("22C11XYZ/MR20160301", "T2W", 2);
        foreach (var (subject, study) in new[] { ("17B76FEW", "CT20150129"), ("22C11XYZ", "MR20160301") })
        {
            Directory.CreateDirectory(Path.Combine(_dataset, subject));
            Directory.CreateSymbolicLink(Path.Combine(_dataset, subject, study), Path.Combine(_lake, subject, study));
        }

        File.WriteAllText(Path.Combine(_dataset, "index.json"), """
            [
              {"studyId": "s-1", "studyName": "TC ABDOMEN", "subjectName": "17B76FEW", "path": "17B76FEW/CT20150129",
               "series": [{"folderName": "AXT1", "tags": ["Axial", "CT"]}], "url": "https://platform.example.org/studies?id=s-1",
               "futureField": {"ignored": true}},
              {"studyId": "s-2", "studyName": "RM PROSTATA", "subjectName": "22C11XYZ", "path": "22C11XYZ/MR20160301/",
               "series": [{"folderName": "T2W"}], "url": "https://platform.example.org/studies?id=s-2"}
            ]
            """);
        File.WriteAllText(Path.Combine(_dataset, "eforms.json"), """
            [{"subjectName": "17B76FEW", "eForm": {"age": 64, "diagnosis": "prostate"}}]
            """);
    }

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public async Task Index_gives_typed_studies_series_and_instances_in_place()
    {
        var dataset = await DatasetFolder.OpenAsync(_dataset);

        Assert.Equal("7e1c7a0e-1a2b-4c3d-9e8f-0123456789ab", dataset.Id);
        Assert.Equal(["s-1", "s-2"], dataset.Studies.Select(s => s.StudyId));
        var ct = dataset.Studies[0];
        Assert.Equal("TC ABDOMEN", ct.StudyName);
        Assert.Equal(new Uri("https://platform.example.org/studies?id=s-1"), ct.Url);
        var series = Assert.Single(ct.Series);
        Assert.Equal(["Axial", "CT"], series.Tags);
        Assert.Equal("17B76FEW/CT20150129/AXT1", series.RelativePath);
        Assert.Equal(["0000.dcm", "0001.dcm", "0002.dcm"], series.Instances.Select(i => i.FileName));
        Assert.Equal("22C11XYZ/MR20160301/T2W", dataset.Studies[1].Series[0].RelativePath);
        Assert.Empty(dataset.Studies[1].Series[0].Tags);
        Assert.Equal(5, dataset.Series.Sum(s => s.Instances.Count));

        // The files are read where they lie: through the dataset's links, in the lake.
        var instance = series.Instances[1];
        Assert.StartsWith(_dataset, instance.FullPath, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_lake, "17B76FEW", "CT20150129", "AXT1", "0001.dcm")), File.ReadAllBytes(instance.FullPath));
        var dicom = instance.ReadDicom();
        Assert.Equal("17B76FEW", dicom.Dataset.GetString(DicomTags.PatientID));
        // Nothing was copied or written: outside the links, the dataset folder holds its two JSON files only.
        var own = Directory.GetFiles(_dataset, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint });
        Assert.Equal(["eforms.json", "index.json"], own.Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Clinical_forms_are_joined_by_subject_name()
    {
        var dataset = DatasetFolder.Open(_dataset);

        Assert.Equal(64, dataset.Studies[0].Subject!.EForm.GetProperty("age").GetInt32());
        Assert.Null(dataset.Studies[1].Subject);
        Assert.Single(dataset.Subjects);
    }

    [Fact]
    public void Eforms_and_series_are_read_only_when_used()
    {
        File.WriteAllText(Path.Combine(_dataset, "eforms.json"), "[{ not json");
        Directory.Delete(Path.Combine(_lake, "22C11XYZ", "MR20160301", "T2W"), recursive: true);

        var dataset = DatasetFolder.Open(_dataset);

        Assert.Equal(2, dataset.Studies.Count);
        Assert.Equal(3, dataset.Studies[0].Series[0].Instances.Count);
        var eforms = Assert.Throws<DatasetFolderException>(() => dataset.Subjects);
        Assert.Contains("eforms.json", eforms.Message, StringComparison.Ordinal);
        var series = Assert.Throws<DatasetFolderException>(() => dataset.Studies[1].Series[0].Instances);
        Assert.Contains("22C11XYZ/MR20160301/T2W", series.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Integrity_matches_the_creation_trace_until_a_file_changes()
    {
        var dataset = await DatasetFolder.OpenAsync(_dataset);
        var creation = new CreateDatasetTrace
        {
            Id = Guid.NewGuid(),
            CallerId = "dataset-service",
            Timestamp = 1_700_000_000_000,
            UserId = "pseudonym",
            DatasetId = dataset.Id,
            TraceResources = (await DatasetHasher.ComputeAsync(_dataset)).ToTraceResources(),
        };

        var intact = await dataset.VerifyAsync(creation);
        Assert.True(intact.IsIntact, string.Join('\n', intact.Mismatches));

        // A file of an unselected series does not count; one of a selected series does.
        File.AppendAllText(Path.Combine(_lake, "17B76FEW", "CT20150129", "NOT-SELECTED", "0000.dcm"), "x");
        Assert.True((await dataset.VerifyAsync(creation)).IsIntact);
        File.AppendAllText(Path.Combine(_lake, "22C11XYZ", "MR20160301", "T2W", "0001.dcm"), "x");
        var changed = await dataset.VerifyAsync(creation);

        Assert.False(changed.IsIntact);
        Assert.Contains(changed.Mismatches, m => m.StartsWith("images:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{"studyId": "s", "studyName": "n", "subjectName": "x", "path": "../../etc", "url": "u"}]""", "index.json[0].path")]
    [InlineData("""[{"studyId": "s", "studyName": "n", "path": "a/b", "url": "u"}]""", "index.json[0].subjectName")]
    [InlineData("""[{"studyId": "s", "studyName": "n", "subjectName": "x", "path": "a", "series": [{"tags": []}]}]""", "index.json[0].series[0].folderName")]
    [InlineData("""{"not": "an array"}""", "index.json is malformed")]
    public void Malformed_index_is_refused_with_where(string index, string where)
    {
        File.WriteAllText(Path.Combine(_dataset, "index.json"), index);

        var error = Assert.Throws<DatasetFolderException>(() => DatasetFolder.Open(_dataset));

        Assert.Contains(where, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_without_index_is_not_a_dataset()
    {
        var error = Assert.Throws<DatasetFolderException>(() => DatasetFolder.Open(_lake));

        Assert.Contains("index.json", error.Message, StringComparison.Ordinal);
    }

    private void WriteSeries(string study, string series, int files)
    {
        var folder = Path.Combine(_lake, study, series);
        Directory.CreateDirectory(folder);
        var subject = study.Split('/')[0];
        var (studyUid, seriesUid) = (MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid());
        for (var i = 0; i < files; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, $"{i:D4}.dcm"), MinimalDicomFile.Create(subject, subject, studyUid, seriesUid, MinimalDicomFile.NewUid()));
        }
    }
}
