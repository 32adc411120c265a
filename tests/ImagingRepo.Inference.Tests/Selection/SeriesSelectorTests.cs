using System.Numerics;
using ImagingRepo.Inference.Selection;

namespace ImagingRepo.Inference.Tests.Selection;

public sealed class SeriesSelectorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-select-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<IReadOnlyList<SeriesCandidate>> ThreeSeriesAsync()
    {
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.11", SeriesDescription = "Abdomen 2.5mm", SliceSpacing = 2.5 }.Write(Path.Combine(_root, "a"));
        new SyntheticCt
        {
            Slices = 2, SeriesUid = "2.25.12", SeriesDescription = "Coronal MPR", SliceSpacing = 5,
            RowDirection = Vector3.UnitX, ColumnDirection = -Vector3.UnitZ,
        }.Write(Path.Combine(_root, "b"));
        new SyntheticCt { Slices = 4, SeriesUid = "2.25.13", StudyUid = "2.25.1002", Modality = "MR", SeriesDescription = "T2 AX", SliceSpacing = 1 }.Write(Path.Combine(_root, "c"));
        File.WriteAllText(Path.Combine(_root, "notes.txt"), "not DICOM");
        return await new SeriesScanner().ScanAsync(_root);
    }

    [Fact]
    public async Task A_plain_folder_is_grouped_into_series_and_non_dicom_files_are_skipped()
    {
        var series = await ThreeSeriesAsync();

        Assert.Equal(["2.25.11", "2.25.12", "2.25.13"], series.Select(s => s.SeriesInstanceUid));
        Assert.Equal([3, 2, 4], series.Select(s => s.Files.Count));
        Assert.Equal([PlaneOrientation.Axial, PlaneOrientation.Coronal, PlaneOrientation.Axial], series.Select(s => s.Orientation!.Value));
    }

    [Fact]
    public async Task Two_series_in_one_folder_are_two_candidates()
    {
        new SyntheticCt { Slices = 2, SeriesUid = "2.25.21" }.Write(_root);
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.22", ScrambleNames = false }.Write(_root);

        var series = await new SeriesScanner().ScanAsync(_root);

        Assert.Equal(2, series.Count);
        Assert.Equal(5, series.Sum(s => s.Files.Count));
    }

    [Fact]
    public async Task Exact_regex_range_comparison_and_orientation_rules_combine_with_and_or()
    {
        var series = await ThreeSeriesAsync();

        Assert.Equal(["2.25.11", "2.25.12"], Uids(new SeriesSelector(SelectionRule.Equal("Modality", "CT")), series));
        Assert.Equal(["2.25.12"], Uids(new SeriesSelector(SelectionRule.Matching("SeriesDescription", "^coronal", ignoreCase: true)), series));
        Assert.Equal(["2.25.11", "2.25.13"], Uids(new SeriesSelector(SelectionRule.Between("SliceThickness", 0.5, 3)), series));
        Assert.Equal(["2.25.13"], Uids(new SeriesSelector(SelectionRule.Compare(SeriesCandidate.InstanceCountAttribute, NumericComparison.GreaterThanOrEqual, 4)), series));
        Assert.Equal(["2.25.12"], Uids(new SeriesSelector(SelectionRule.Orientation(PlaneOrientation.Coronal)), series));
        Assert.Equal(["2.25.11", "2.25.13"], Uids(new SeriesSelector(SelectionRule.All(SelectionRule.Contains("ImageType", "AXIAL"), SelectionRule.Orientation(PlaneOrientation.Axial))), series));
        var either = SelectionRule.Any(SelectionRule.Equal("Modality", "MR"), SelectionRule.All(SelectionRule.Equal("Modality", "CT"), SelectionRule.Orientation(PlaneOrientation.Coronal)));
        Assert.Equal(["2.25.12", "2.25.13"], Uids(new SeriesSelector(either), series));
        Assert.Equal(["2.25.13"], Uids(new SeriesSelector(SelectionRule.Not(SelectionRule.Equal("Modality", "CT"))), series));
    }

    [Fact]
    public async Task First_and_first_per_study_modes_stop_as_they_say()
    {
        var series = await ThreeSeriesAsync();

        Assert.Equal(["2.25.11"], Uids(new SeriesSelector(SelectionRule.Everything, SelectionMode.First), series));
        Assert.Equal(["2.25.11", "2.25.13"], Uids(new SeriesSelector(SelectionRule.Everything, SelectionMode.FirstPerStudy), series));
    }

    [Fact]
    public async Task Json_rules_select_the_same_series_as_code()
    {
        var series = await ThreeSeriesAsync();
        var selector = SeriesSelector.FromJson("""
            {
              "mode": "all",
              "rule": { "all": [
                { "attribute": "Modality", "equals": "ct", "ignoreCase": true },
                { "any": [ { "orientation": "axial" }, { "attribute": "(0008,103E)", "regex": "MPR$" } ] },
                { "attribute": "SliceThickness", "range": { "min": 1, "max": 6 } },
                { "not": { "attribute": "InstanceCount", "lessThan": 2 } }
              ] }
            }
            """);

        Assert.Equal(["2.25.11", "2.25.12"], Uids(selector, series));
    }

    [Theory]
    [InlineData("""{ "attribute": "Modality", "equal": "CT" }""", "$.equal")]
    [InlineData("""{ "all": [ { "attribute": "Modality", "equals": "CT" }, { "attribute": "Modality" } ] }""", "$.all[1]")]
    [InlineData("""{ "attribute": "NoSuchKeyword", "equals": "x" }""", "$.attribute")]
    [InlineData("""{ "attribute": "SeriesDescription", "regex": "(" }""", "$.regex")]
    [InlineData("""{ "attribute": "SliceThickness", "range": { "min": 3, "max": 1 } }""", "$.range")]
    [InlineData("""{ "orientation": "diagonal" }""", "$.orientation")]
    [InlineData("""{ "mode": "some", "rule": {} }""", "$.mode")]
    [InlineData("""{ "attribute": "Modality", "equals": "CT", "contains": "CT" }""", "$")]
    public void Malformed_json_rules_name_the_place(string json, string location)
    {
        var error = Assert.Throws<SelectionRuleException>(() => SeriesSelector.FromJson(json));

        Assert.Equal(location, error.Location);
    }

    [Fact]
    public async Task A_dataset_is_walked_as_its_index_says_with_the_index_tags()
    {
        new SyntheticCt { Slices = 2, SeriesUid = "2.25.31" }.Write(Path.Combine(_root, "SUBJ1", "STUDY1", "AX"));
        new SyntheticCt { Slices = 2, SeriesUid = "2.25.32" }.Write(Path.Combine(_root, "SUBJ1", "STUDY1", "UNLISTED"));
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.33", StudyUid = "2.25.1009" }.Write(Path.Combine(_root, "SUBJ2", "STUDY2", "SER1"));
        File.WriteAllText(Path.Combine(_root, "index.json"), """
            [
              { "studyId": "s1", "studyName": "A", "subjectName": "SUBJ1", "path": "SUBJ1/STUDY1", "url": "https://example.org/s1",
                "series": [ { "folderName": "AX", "tags": ["Axial", "T2W"] }, { "folderName": "GONE" } ] },
              { "studyId": "s2", "studyName": "B", "subjectName": "SUBJ2", "path": "SUBJ2/STUDY2", "url": "https://example.org/s2",
                "series": [ { "folderName": "SER1", "tags": [] } ] }
            ]
            """);

        var series = await new SeriesScanner().ScanAsync(_root);

        Assert.Equal(["2.25.31", "2.25.33"], series.Select(s => s.SeriesInstanceUid));
        Assert.Equal("SUBJ1", series[0].SubjectName);
        Assert.Equal(["2.25.31"], Uids(new SeriesSelector(SelectionRule.Contains(SeriesCandidate.IndexTagsAttribute, "T2W")), series));
        Assert.Equal(["2.25.33"], Uids(new SeriesSelector(SelectionRule.Equal(SeriesCandidate.FolderNameAttribute, "SER1")), series));
    }

    [Fact]
    public async Task An_index_pointing_outside_the_dataset_is_refused()
    {
        File.WriteAllText(Path.Combine(_root, "index.json"), """[ { "studyId": "s", "path": "..", "series": [ { "folderName": "etc" } ] } ]""");

        await Assert.ThrowsAsync<InferenceException>(() => new SeriesScanner().ScanAsync(_root));
    }

    [Theory]
    [InlineData(new double[] { 1, 0, 0, 0, 1, 0 }, PlaneOrientation.Axial)]
    [InlineData(new double[] { 1, 0, 0, 0, 0, -1 }, PlaneOrientation.Coronal)]
    [InlineData(new double[] { 0, 1, 0, 0, 0, -1 }, PlaneOrientation.Sagittal)]
    [InlineData(new double[] { 1, 0, 0, 0, 0.94, -0.34 }, PlaneOrientation.Axial)] // a 20° gantry tilt
    [InlineData(new double[] { 1, 0, 0, 0, 0.7071, -0.7071 }, PlaneOrientation.Oblique)]
    public void Orientation_follows_the_dominant_axis_of_the_normal(double[] cosines, PlaneOrientation plane)
    {
        Assert.Equal(plane, PlaneOrientations.Classify(cosines));
    }

    private static string[] Uids(SeriesSelector selector, IReadOnlyList<SeriesCandidate> series) =>
        [.. selector.Select(series).Select(s => s.SeriesInstanceUid)];
}
