using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Tests.Models;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests.Volumes;

[Collection(ModelsCollection.Name)]
public sealed class SlidingWindowTests(TestModels models)
{
    private static Volume Noise(int sx, int sy, int sz)
    {
        var volume = new Volume(new VolumeGeometry(sx, sy, sz, 1, 1, 1, default, new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), new Vector3D(0, 0, 1)));
        var random = new Random(7);
        for (var i = 0; i < volume.Length; i++)
        {
            volume.Voxels[i] = (float)random.NextDouble();
        }

        return volume;
    }

    [SkippableFact]
    public async Task Overlapping_3d_windows_blend_to_the_per_voxel_answer_everywhere()
    {
        using var model = OnnxModel.Load(models["threshold3d.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.Cpu });
        using var volume = Noise(37, 21, 19); // the model's window is 16x16x8: several windows per axis, the last flush with the end

        using var output = await SlidingWindow.RunAsync(model, volume);

        Assert.Equal(1, output.Channels);
        var values = output.Channel(0);
        for (var v = 0; v < volume.Length; v++)
        {
            Assert.Equal(volume.Voxels[v] > 0.5f ? 1f : 0f, values[v], 4);
        }
    }

    [SkippableFact]
    public async Task A_2d_model_sees_every_slice_and_tiles_slices_larger_than_its_input()
    {
        using var model = OnnxModel.Load(models["threshold2d_fixed.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.Cpu });
        using var volume = Noise(50, 40, 5); // 32x32 windows

        using var output = await SlidingWindow.RunAsync(model, volume);

        var values = output.Channel(0);
        for (var v = 0; v < volume.Length; v++)
        {
            Assert.Equal(volume.Voxels[v] > 0.5f ? 1f : 0f, values[v], 4);
        }
    }

    [Fact]
    public void Windows_cover_each_axis_with_the_last_flush_with_the_end()
    {
        var tiles = SlidingWindow.Tiles(37, 16, 5, 16, 16, 8, 0.25);

        Assert.Equal([0, 12, 21], tiles.Select(t => t.X).Distinct());
        Assert.Equal([0], tiles.Select(t => t.Y).Distinct());
        Assert.Equal([0], tiles.Select(t => t.Z).Distinct());
    }
}
