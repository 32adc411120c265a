using System.Numerics;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests.Volumes;

public sealed class VolumeAssemblerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagingrepo-volume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<SeriesVolume> AssembleAsync(VolumeAssemblyOptions? options = null) =>
        new VolumeAssembler(options).AssembleFilesAsync(Directory.GetFiles(_folder), "series");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Slices_are_sorted_along_the_normal_and_hold_their_modality_values(bool coronal)
    {
        var ct = new SyntheticCt
        {
            Rows = 8, Columns = 10, Slices = 7,
            ColumnDirection = coronal ? -Vector3.UnitZ : Vector3.UnitY,
            Hu = p => (p.X * 3) + (p.Y * 2) + p.Z,
        };
        ct.Write(_folder);

        using var volume = await AssembleAsync();

        var g = volume.Volume.Geometry;
        Assert.Equal((10, 8, 7), (g.SizeX, g.SizeY, g.SizeZ));
        Assert.Equal(ct.SliceSpacing, g.SpacingZ, 6);
        Assert.Equal(Enumerable.Range(0, 7).Select(ct.SopInstanceUid), volume.Source.Slices.Select(s => s.SopInstanceUid));
        for (var k = 0; k < 7; k++)
        {
            for (var j = 0; j < 8; j++)
            {
                for (var i = 0; i < 10; i++)
                {
                    var p = ct.PointAt(k, j, i);
                    var expected = Math.Round((p.X * 3) + (p.Y * 2) + p.Z);
                    Assert.Equal(expected, volume.Volume.Slice(k)[(j * 10) + i], 3);
                    var at = g.IndexToPatient(i, j, k);
                    Assert.Equal(p.X, at.X, 4);
                    Assert.Equal(p.Y, at.Y, 4);
                    Assert.Equal(p.Z, at.Z, 4);
                }
            }
        }
    }

    [Theory]
    [InlineData(false, TensorLayout.Ncdhw)]
    [InlineData(false, TensorLayout.Nchw)]
    [InlineData(true, TensorLayout.Ncdhw)]
    public async Task Assembled_straight_onto_the_model_grid_it_holds_the_values_of_assembly_then_preparation(bool gap, TensorLayout layout)
    {
        new SyntheticCt
        {
            Rows = 24, Columns = 30, Slices = 11, Missing = gap ? new HashSet<int> { 5 } : new HashSet<int>(),
            Hu = p => (Math.Sin(p.X * 0.37) * 300) + (p.Y * 7.3) - (p.Z * 2.1),
        }.Write(_folder);
        var preprocessing = new ModelPreprocessing
        {
            Layout = layout,
            Size = layout == TensorLayout.Ncdhw ? [7, 13, 9] : [13, 9],
            Normalization = IntensityNormalization.CtWindow(40, 400),
        };
        var options = new VolumeAssemblyOptions { GapsAreErrors = false };
        var files = Directory.GetFiles(_folder);

        using var volume = await new VolumeAssembler(options).AssembleFilesAsync(files, "series");
        using var expected = VolumePreprocessor.Prepare(volume.Volume, preprocessing);
        using var prepared = await new VolumeAssembler(options).AssembleFilesPreparedAsync(files, "series", preprocessing);

        Assert.Equal(expected.Geometry, prepared.Prepared.Geometry);
        Assert.Equal(volume.Volume.Geometry, prepared.Grid);
        Assert.Equal(volume.SliceGridPositions, prepared.SliceGridPositions);
        Assert.Equal(volume.Warnings, prepared.Warnings);
        Assert.Equal(volume.Source.Slices, prepared.Source.Slices);
        Assert.Equal(
            expected.Voxels.ToArray().Select(BitConverter.SingleToInt32Bits),
            prepared.Prepared.Voxels.ToArray().Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public async Task Files_of_two_series_are_a_mixed_series_error()
    {
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.81" }.Write(_folder);
        new SyntheticCt { Slices = 3, SeriesUid = "2.25.82", ScrambleNames = false }.Write(_folder);

        var error = await Assert.ThrowsAsync<VolumeAssemblyException>(() => AssembleAsync());

        Assert.Equal(VolumeProblem.MixedSeries, error.Problem);
    }

    [Fact]
    public async Task A_missing_slice_is_an_error_naming_its_neighbours()
    {
        new SyntheticCt { Slices = 8, Missing = new HashSet<int> { 4 }, ScrambleNames = false }.Write(_folder);

        var error = await Assert.ThrowsAsync<VolumeAssemblyException>(() => AssembleAsync());

        Assert.Equal(VolumeProblem.MissingSlices, error.Problem);
        Assert.Contains("1 slice(s) missing between IM0003.dcm and IM0005.dcm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_slice_by_option_is_a_warning_and_is_interpolated()
    {
        var ct = new SyntheticCt { Rows = 4, Columns = 4, Slices = 8, Missing = new HashSet<int> { 4 }, Hu = p => p.Z * 10 };
        ct.Write(_folder);

        using var volume = await AssembleAsync(new VolumeAssemblyOptions { GapsAreErrors = false });

        Assert.Single(volume.Warnings);
        Assert.Equal(8, volume.Volume.Geometry.SizeZ);
        Assert.Equal(7, volume.Source.Slices.Count);
        Assert.Equal([0d, 1, 2, 3, 5, 6, 7], volume.SliceGridPositions);
        // the missing slice lies halfway between its neighbours, and so does its value
        Assert.Equal(Math.Round(ct.Position(4).Z * 10), volume.Volume.Slice(4)[0], 3);
    }

    [Fact]
    public async Task A_slice_with_another_orientation_is_an_error()
    {
        new SyntheticCt { Slices = 6, Missing = new HashSet<int> { 3, 4, 5 } }.Write(_folder);
        new SyntheticCt { Slices = 6, Missing = new HashSet<int> { 0, 1, 2 }, RowDirection = Vector3.Normalize(new Vector3(1, 0.1f, 0)), ColumnDirection = Vector3.Normalize(new Vector3(-0.1f, 1, 0)) }.Write(_folder);

        var error = await Assert.ThrowsAsync<VolumeAssemblyException>(() => AssembleAsync());

        Assert.Equal(VolumeProblem.InconsistentOrientation, error.Problem);
    }

    [Fact]
    public async Task Two_slices_at_one_position_are_an_error()
    {
        var ct = new SyntheticCt { Slices = 4 };
        ct.Write(_folder);
        var copy = ct.Slice(2);
        copy.SetString(ImagingRepo.Dicom.DicomTags.SOPInstanceUID, ImagingRepo.Dicom.DicomVR.UI, "2.25.999");
        new ImagingRepo.Dicom.DicomFile(copy).Save(Path.Combine(_folder, "copy.dcm"));

        var error = await Assert.ThrowsAsync<VolumeAssemblyException>(() => AssembleAsync());

        Assert.Equal(VolumeProblem.DuplicatePosition, error.Problem);
    }

    [Fact]
    public async Task A_file_that_is_not_a_slice_is_an_error()
    {
        new SyntheticCt { Slices = 3 }.Write(_folder);
        var broken = new SyntheticCt { SeriesUid = "2.25.2001" }.Slice(5);
        broken.Remove(ImagingRepo.Dicom.DicomTags.ImagePositionPatient);
        new ImagingRepo.Dicom.DicomFile(broken).Save(Path.Combine(_folder, "broken.dcm"));

        var error = await Assert.ThrowsAsync<VolumeAssemblyException>(() => AssembleAsync());

        Assert.Equal(VolumeProblem.NotASlice, error.Problem);
        Assert.Contains("broken.dcm has no valid Image Position (Patient)", error.Message, StringComparison.Ordinal);
    }
}
