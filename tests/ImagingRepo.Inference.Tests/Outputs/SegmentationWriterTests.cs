using ImagingRepo.Dicom;
using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests.Outputs;

public sealed class SegmentationWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagingrepo-seg-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static ResultContext Context(params ModelLabel[] labels) => new(
        new ModelDescription
        {
            Name = "Liver CT",
            Version = "2.1.0",
            Manufacturer = "Example Lab",
            Sha256 = new string('a', 64),
            Inputs = [],
            Outputs = [],
            Labels = labels,
            Preprocessing = new ModelPreprocessing(),
        },
        new ExecutionProviderReport(ExecutionDevice.Cpu, ExecutionProviderReport.CpuProvider, null, null, "1.31.0"),
        new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero));

    internal static readonly ModelLabel Liver = new()
    {
        Value = 1, Name = "Liver",
        Category = new CodedConcept("91723000", "SCT", "Anatomical Structure"),
        Type = new CodedConcept("10200004", "SCT", "Liver"),
        Color = [221, 130, 101],
    };

    internal static readonly ModelLabel Tumor = new()
    {
        Value = 2, Name = "Tumor",
        Category = new CodedConcept("49755003", "SCT", "Morphologically Altered Structure"),
        Type = new CodedConcept("108369006", "SCT", "Neoplasm"),
    };

    /// <summary>Liver (1) in a box over slices 2-6, tumour (2) inside it on slices 3-4.</summary>
    internal static SegmentationMask Mask(SyntheticCt ct)
    {
        var mask = new SegmentationMask(ct.Columns, ct.Rows, ct.Slices);
        for (var k = 2; k <= 6; k++)
        {
            for (var r = 5; r < 20; r++)
            {
                for (var c = 3; c < 25; c++)
                {
                    mask.Labels[(k * ct.Rows * ct.Columns) + (r * ct.Columns) + c] = (byte)(k is 3 or 4 && r is > 8 and < 12 && c is > 10 and < 14 ? 2 : 1);
                }
            }
        }

        return mask;
    }

    [SkippableFact]
    public void A_binary_segmentation_passes_dciodvfy()
    {
        var ct = new SyntheticCt { Rows = 24, Columns = 30 };
        var (path, _) = SegmentationWriter.Write(_folder, SyntheticSource.From(ct), Mask(ct), Context(Liver, Tumor));

        var (errors, warnings) = ExternalTools.Dciodvfy(path);

        Assert.True(errors.Count == 0 && warnings.Count == 0, string.Join("\n", errors.Concat(warnings)));
    }

    [SkippableFact]
    public void Pydicom_reads_each_binary_frame_on_its_source_slice_with_the_right_pixels()
    {
        var ct = new SyntheticCt { Rows = 24, Columns = 30 };
        var mask = Mask(ct);
        var (path, _) = SegmentationWriter.Write(_folder, SyntheticSource.From(ct), mask, Context(Liver, Tumor));

        var output = ExternalTools.Python("""
            import sys, pydicom, numpy as np
            ds = pydicom.dcmread(sys.argv[1])
            frames = ds.pixel_array.reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
            for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
                seg = f.SegmentIdentificationSequence[0].ReferencedSegmentNumber
                src = f.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID
                pos = "\\".join(str(v) for v in f.PlanePositionSequence[0].ImagePositionPatient)
                print(seg, src, pos, int(frames[i].sum()))
            """, path);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // liver on slices 2..6, tumour on 3..4, empty frames left out
        Assert.Equal(7, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split(' ');
            var segment = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            var slice = Enumerable.Range(0, ct.Slices).Single(k => ct.SopInstanceUid(k) == parts[1]);
            var expectedPosition = ct.Slice(slice).GetString(DicomTags.ImagePositionPatient)!.Split('\\').Select(double.Parse);
            Assert.Equal(expectedPosition, parts[2].Split('\\').Select(double.Parse));
            Assert.Equal(mask.Slice(slice).Count((byte)segment), long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [SkippableFact]
    public void A_label_map_segmentation_holds_segment_numbers_that_pydicom_reads()
    {
        var ct = new SyntheticCt { Rows = 24, Columns = 30 };
        var mask = Mask(ct);
        var (path, _) = SegmentationWriter.Write(_folder, SyntheticSource.From(ct), mask, Context(Liver, Tumor), new SegmentationWriteOptions { Type = SegmentationType.Labelmap });

        var output = ExternalTools.Python("""
            import sys, pydicom, numpy as np
            ds = pydicom.dcmread(sys.argv[1])
            px = ds.pixel_array
            print(ds.SegmentationType, ds.SOPClassUID, px.shape[0], int((px == 1).sum()), int((px == 2).sum()))
            """, path);

        Assert.Equal($"LABELMAP {SegmentationWriter.LabelMapSegmentationStorage} {ct.Slices} {mask.Labels.Count(v => v == 1)} {mask.Labels.Count(v => v == 2)}", output.Trim());
    }

    [Fact]
    public void Segments_carry_the_model_codes_and_the_algorithm_and_the_model_is_the_contributing_equipment()
    {
        var ct = new SyntheticCt();
        var file = SegmentationWriter.Build(SyntheticSource.From(ct), Mask(ct), Context(Liver, Tumor));
        var dataset = file.Dataset;

        Assert.True(dataset.TryGetSequence(DicomTags.SegmentSequence, out var segments));
        Assert.Equal(2, segments.Items.Count);
        var tumour = segments.Items[1];
        Assert.Equal("Tumor", tumour.GetString(DicomTags.SegmentLabel));
        Assert.True(tumour.TryGetSequence(DicomTags.SegmentedPropertyTypeCodeSequence, out var type));
        Assert.Equal("108369006", type.Items[0].GetString(DicomTags.CodeValue));
        Assert.Equal("SCT", type.Items[0].GetString(DicomTags.CodingSchemeDesignator));
        Assert.Equal("Liver CT", tumour.GetString(DicomTags.SegmentAlgorithmName));
        Assert.True(dataset.TryGetSequence(DicomTags.ContributingEquipmentSequence, out var equipment));
        Assert.Equal("Example Lab", equipment.Items[0].GetString(DicomTags.Manufacturer));
        Assert.Equal("Liver CT", equipment.Items[0].GetString(DicomTags.ManufacturerModelName));
        Assert.Equal("2.1.0", equipment.Items[0].GetString(DicomTags.SoftwareVersions));
        Assert.True(dataset.TryGetSequence(DicomTags.ReferencedSeriesSequence, out var referenced));
        Assert.Equal(ct.SeriesUid, referenced.Items[0].GetString(DicomTags.SeriesInstanceUID));
        Assert.True(referenced.Items[0].TryGetSequence(DicomTags.ReferencedInstanceSequence, out var instances));
        Assert.Equal(ct.Slices, instances.Items.Count);
        Assert.Equal(ct.StudyUid, dataset.GetString(DicomTags.StudyInstanceUID));
        Assert.Equal(ct.FrameOfReferenceUid, dataset.GetString(DicomTags.FrameOfReferenceUID));
    }

    [Fact]
    public void The_same_model_on_the_same_series_gives_the_same_bytes_and_uids()
    {
        var ct = new SyntheticCt();
        using var first = new MemoryStream();
        using var second = new MemoryStream();
        SegmentationWriter.Build(SyntheticSource.From(ct), Mask(ct), Context(Liver, Tumor)).WriteTo(first);
        SegmentationWriter.Build(SyntheticSource.From(ct), Mask(ct), Context(Liver, Tumor)).WriteTo(second);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public void A_mask_on_another_grid_is_refused()
    {
        var ct = new SyntheticCt();

        Assert.Throws<ArgumentException>(() => SegmentationWriter.Build(SyntheticSource.From(ct), new SegmentationMask(ct.Columns, ct.Rows, ct.Slices - 1), Context(Liver)));
    }
}
