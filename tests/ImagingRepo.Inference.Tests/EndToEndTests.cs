using System.Globalization;
using System.Numerics;
using System.Text.Json;
using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using ImagingRepo.Inference.Tests.Models;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests;

/// <summary>
/// A generated CT series of known geometry, through selector, volume, model and writers, on the CPU: the SEG and SR pass
/// dciodvfy, pydicom reads them, each segment frame lies on its source slice and the results repeat byte for byte.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class EndToEndTests(TestModels models) : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-e2e-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>A 48x40 axial CT of 14 slices with a 300 HU ball of 12 mm radius in -100 HU, plus an MR series the selector must skip.</summary>
    private SyntheticCt Dataset()
    {
        var ct = new SyntheticCt { Rows = 40, Columns = 48, Slices = 14, PixelSpacing = 1.2, SliceSpacing = 2, SeriesUid = "2.25.5001", Origin = new Vector3(-30, -20, -40) };
        ct.Write(Path.Combine(_root, "data", "ct"));
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.5002", Modality = "MR", SeriesDescription = "T1" }.Write(Path.Combine(_root, "data", "mr"));
        return ct;
    }

    private string ModelWithSidecar(string name, string sidecar)
    {
        var path = models.CopyToNewFolder(name);
        File.WriteAllText(Path.ChangeExtension(path, ".json"), sidecar);
        return path;
    }

    private const string SegmenterSidecar = """
        {
          "name": "Bright ball", "version": "1.0.0", "manufacturer": "ImagingRepo tests",
          "task": "segmentation",
          "input": { "normalization": { "kind": "Window", "center": 100, "width": 400 } },
          "output": { "kind": "probabilities", "threshold": 0.5 },
          "labels": [ { "value": 1, "name": "Ball",
                        "category": { "code": "49755003", "scheme": "SCT", "meaning": "Morphologically Altered Structure" },
                        "type": { "code": "108369006", "scheme": "SCT", "meaning": "Neoplasm" } } ]
        }
        """;

    private async Task<(InferenceSummary Summary, string Output)> RunAsync(string model, string output, ExecutionDevice device = ExecutionDevice.Cpu)
    {
        var candidates = await new SeriesScanner().ScanAsync(Path.Combine(_root, "data"));
        var selector = SeriesSelector.FromJson("""{ "mode": "all", "rule": { "all": [ { "attribute": "Modality", "equals": "CT" }, { "orientation": "axial" } ] } }""");
        var selected = selector.Select(candidates);
        using var loaded = OnnxModel.Load(model, new ModelRuntimeOptions { Device = device });
        var pipeline = new InferencePipeline(loaded, timeProvider: new FixedTime());
        var folder = Path.Combine(_root, output);
        return (await pipeline.RunAsync(selected, folder), folder);
    }

    [SkippableFact]
    public async Task A_2d_segmenter_writes_a_seg_whose_frames_lie_on_their_source_slices_and_cover_the_ball()
    {
        var ct = Dataset();
        var model = ModelWithSidecar("threshold2d_fixed.onnx", SegmenterSidecar); // 32x32 input: the 48x40 slices are resized and mapped back

        var (summary, output) = await RunAsync(model, "out");

        var series = Assert.Single(summary.Series);
        Assert.Equal("done", series.Status);
        Assert.Equal(ct.SeriesUid, series.SeriesInstanceUid);
        Assert.Equal(ExecutionProviderReport.CpuProvider, summary.ExecutionProvider.Split(',')[0]);
        var seg = Path.Combine(output, Assert.Single(series.Outputs).File);
        var (errors, warnings) = ExternalTools.Dciodvfy(seg);
        Assert.True(errors.Count == 0 && warnings.Count == 0, string.Join('\n', errors.Concat(warnings)));
        AssertFramesOnTheirSlicesAndCoverTheBall(ct, seg, minimumDice: 0.85);
    }

    [SkippableFact]
    public async Task A_two_channel_background_foreground_output_gives_the_same_mask_as_one_channel_above_its_threshold()
    {
        Dataset();
        var oneChannel = ModelWithSidecar("threshold2d_fixed.onnx", SegmenterSidecar);
        var twoChannels = ModelWithSidecar("twoclass2d_fixed.onnx", SegmenterSidecar);

        var (single, _) = await RunAsync(oneChannel, "one");
        var (pair, _) = await RunAsync(twoChannels, "two");

        var expected = Assert.Single(Assert.Single(single.Series).Segments);
        var actual = Assert.Single(Assert.Single(pair.Series).Segments);
        Assert.True(expected.Voxels > 0);
        Assert.Equal((expected.Name, expected.Voxels), (actual.Name, actual.Voxels));
    }

    [SkippableFact]
    public async Task A_3d_segmenter_at_its_own_spacing_tiles_the_volume_and_lands_on_the_source()
    {
        var ct = Dataset();
        var model = ModelWithSidecar("threshold3d.onnx", SegmenterSidecar.Replace(
            "\"input\": {", "\"input\": { \"layout\": \"Ncdhw\", \"spacing\": [3.0, 1.5, 1.5], \"overlap\": 0.5,", StringComparison.Ordinal));

        var (summary, output) = await RunAsync(model, "out3d");

        var series = Assert.Single(summary.Series);
        Assert.Equal("done", series.Status);
        AssertFramesOnTheirSlicesAndCoverTheBall(ct, Path.Combine(output, series.Outputs[0].File), minimumDice: 0.8);
        Assert.Equal(1, series.Segments.Single().Value);
    }

    [SkippableFact]
    public async Task A_classifier_writes_an_sr_that_dciodvfy_accepts_with_the_expected_class()
    {
        var ct = Dataset();
        var model = ModelWithSidecar("classifier.onnx", """
            {
              "name": "Bright slice", "version": "0.3", "manufacturer": "ImagingRepo tests", "task": "classification",
              "input": { "normalization": { "kind": "Window", "center": 100, "width": 400 } },
              "output": { "kind": "probabilities" },
              "labels": [ { "value": 0, "name": "Dark", "type": { "code": "17621005", "scheme": "SCT", "meaning": "Normal" } },
                          { "value": 1, "name": "Bright", "type": { "code": "263654008", "scheme": "SCT", "meaning": "Abnormal" } } ]
            }
            """);

        var (summary, output) = await RunAsync(model, "out-sr");

        var series = Assert.Single(summary.Series);
        var sr = Path.Combine(output, series.Outputs.Single(o => o.Kind == "SR").File);
        var (errors, warnings) = ExternalTools.Dciodvfy(sr);
        Assert.True(errors.Count == 0 && warnings.Count == 0, string.Join('\n', errors.Concat(warnings)));
        // most of the image is -100 HU, below the window's middle: the mean is dark
        Assert.True(series.Scores[0].Score > series.Scores[1].Score);
        var finding = ExternalTools.Python("""
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            refs = [i.ReferencedSOPSequence[0].ReferencedSOPInstanceUID for i in ds.ContentSequence[2].ContentSequence if i.ValueType == "IMAGE"]
            print(ds.ContentSequence[2].ConceptCodeSequence[0].CodeMeaning, len(refs), refs[0])
            """, sr).Trim();
        Assert.Equal($"Normal {ct.Slices} {ct.SopInstanceUid(0)}", finding);
    }

    [SkippableFact]
    public async Task Two_runs_give_identical_results()
    {
        Dataset();
        var model = ModelWithSidecar("threshold2d_fixed.onnx", SegmenterSidecar);

        var (first, firstFolder) = await RunAsync(model, "run1");
        var (second, secondFolder) = await RunAsync(model, "run2");

        var file = first.Series[0].Outputs[0].File;
        Assert.Equal(file, second.Series[0].Outputs[0].File);
        Assert.Equal(File.ReadAllBytes(Path.Combine(firstFolder, file)), File.ReadAllBytes(Path.Combine(secondFolder, file)));
        Assert.Equal(first.Series[0].Segments, second.Series[0].Segments);
    }

    [SkippableFact]
    public async Task A_broken_series_is_recorded_as_failed_and_leaves_nothing_behind()
    {
        Dataset();
        new SyntheticCt { Slices = 6, SeriesUid = "2.25.5003", Missing = new HashSet<int> { 3 } }.Write(Path.Combine(_root, "data", "gap"));
        var model = ModelWithSidecar("threshold2d_fixed.onnx", SegmenterSidecar);

        var (summary, output) = await RunAsync(model, "out-fail");

        Assert.Equal(["done", "failed"], summary.Series.Select(s => s.Status));
        Assert.Contains("missing", summary.Series[1].Error, StringComparison.Ordinal);
        string[] expected = [InferenceSummary.FileName, summary.Series[0].Outputs[0].File];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.GetFiles(output).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, InferenceSummary.FileName)));
        Assert.Equal("failed", json.RootElement.GetProperty("series")[1].GetProperty("status").GetString());
    }

    private static void AssertFramesOnTheirSlicesAndCoverTheBall(SyntheticCt ct, string seg, double minimumDice)
    {
        var output = ExternalTools.Python("""
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            frames = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
            print(ds.ReferencedSeriesSequence[0].SeriesInstanceUID, len(ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence))
            for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
                src = f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
                pos = "\\".join(str(v) for v in f.PlanePositionSequence[0].ImagePositionPatient)
                print(src, pos, "".join(str(int(v)) for v in frames[i].flatten()))
            """, seg);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"{ct.SeriesUid} {ct.Slices}", lines[0]);

        long both = 0, found = 0, truth = 0;
        var framed = new HashSet<int>();
        foreach (var line in lines[1..])
        {
            var parts = line.Split(' ');
            var slice = Enumerable.Range(0, ct.Slices).Single(k => ct.SopInstanceUid(k) == parts[0]);
            Assert.True(framed.Add(slice), $"two frames for slice {slice}");
            var expected = ct.Position(slice);
            var position = parts[1].Split('\\').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expected.X, position[0], 1e-4);
            Assert.Equal(expected.Y, position[1], 1e-4);
            Assert.Equal(expected.Z, position[2], 1e-4);
            for (var p = 0; p < parts[2].Length; p++)
            {
                var inBall = Vector3.Distance(ct.PointAt(slice, p / ct.Columns, p % ct.Columns), ct.Centre) <= 12;
                var marked = parts[2][p] == '1';
                both += inBall && marked ? 1 : 0;
                found += marked ? 1 : 0;
            }
        }

        for (var k = 0; k < ct.Slices; k++)
        {
            for (var r = 0; r < ct.Rows; r++)
            {
                for (var c = 0; c < ct.Columns; c++)
                {
                    truth += Vector3.Distance(ct.PointAt(k, r, c), ct.Centre) <= 12 ? 1 : 0;
                }
            }
        }

        var dice = 2.0 * both / (found + truth);
        Assert.True(dice >= minimumDice, $"Dice {dice:0.000} against the ball ({found} marked, {truth} in the ball)");
    }
}
