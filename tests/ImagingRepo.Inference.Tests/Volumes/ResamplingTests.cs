using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Tests.Volumes;

public sealed class ResamplingTests
{
    private static Volume Ramp(int sx, int sy, int sz, Func<Vector3D, double> value)
    {
        var geometry = new VolumeGeometry(sx, sy, sz, 0.8, 0.7, 2.5, new Vector3D(-10, 5, 30), new Vector3D(1, 0, 0), new Vector3D(0, 0, -1), new Vector3D(0, 1, 0));
        var volume = new Volume(geometry);
        for (var k = 0; k < sz; k++)
        {
            for (var j = 0; j < sy; j++)
            {
                for (var i = 0; i < sx; i++)
                {
                    volume.Voxels[(((k * sy) + j) * sx) + i] = (float)value(geometry.IndexToPatient(i, j, k));
                }
            }
        }

        return volume;
    }

    [Theory]
    [InlineData(40, 30, 20, 16, 12, 8)]
    [InlineData(10, 12, 6, 25, 24, 15)]
    public void Resizing_a_linear_field_gives_the_field_at_each_new_voxel_centre(int sx, int sy, int sz, int tx, int ty, int tz)
    {
        static double Field(Vector3D p) => (2 * p.X) - p.Y + (0.5 * p.Z);
        using var volume = Ramp(sx, sy, sz, Field);

        using var resized = volume.Resize(tx, ty, tz);

        var g = resized.Geometry;
        // away from the edges (where the clamp holds values), linear interpolation of a linear field is exact
        for (var k = 1; k < tz - 1; k++)
        {
            for (var j = 1; j < ty - 1; j++)
            {
                for (var i = 1; i < tx - 1; i++)
                {
                    var (si, sj, sk) = volume.Geometry.PatientToIndex(g.IndexToPatient(i, j, k));
                    if (si < 0 || sj < 0 || sk < 0 || si > sx - 1 || sj > sy - 1 || sk > sz - 1)
                    {
                        continue;
                    }

                    Assert.Equal(Field(g.IndexToPatient(i, j, k)), resized.Voxels[(((k * ty) + j) * tx) + i], 1e-3);
                }
            }
        }
    }

    [Fact]
    public void Resampling_to_a_spacing_keeps_the_extent()
    {
        using var volume = Ramp(40, 30, 20, p => p.X);

        using var resampled = volume.ResampleToSpacing(1.6, 1.4, 5);

        Assert.Equal((20, 15, 10), (resampled.Geometry.SizeX, resampled.Geometry.SizeY, resampled.Geometry.SizeZ));
        var before = volume.Geometry.IndexToPatient(-0.5, -0.5, -0.5);
        var after = resampled.Geometry.IndexToPatient(-0.5, -0.5, -0.5);
        Assert.Equal(before, after, (a, b) => (a - b).Length < 1e-9);
    }

    [Fact]
    public void A_window_maps_its_range_to_zero_one_and_clips_outside()
    {
        float[] values = [-1000, -160, 40, 240, 3000];

        IntensityNormalization.CtWindow(40, 400).Apply(values);

        Assert.Equal([0f, 0f, 0.5f, 1f, 1f], values, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    [Fact]
    public void Zscore_gives_zero_mean_and_unit_deviation()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (float)(1000 + (i % 17) * 3.5)).ToArray();

        new IntensityNormalization { Kind = NormalizationKind.ZScore }.Apply(values);

        var mean = values.Average();
        var deviation = Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(0, mean, 4);
        Assert.Equal(1, deviation, 4);
    }

    [Fact]
    public void Class_scores_are_softmax_of_logits_averaged_over_slices()
    {
        var model = new ModelDescription
        {
            Name = "m", Version = "1", Manufacturer = "x", Sha256 = new string('0', 64), Inputs = [], Outputs = [],
            Preprocessing = new ModelPreprocessing(), OutputKind = ModelOutputKind.Logits,
            Labels = [new ModelLabel { Value = 1, Name = "Positive" }],
        };
        using var a = InferenceTensor.FromValues([0f, 0f], 1, 2);
        using var b = InferenceTensor.FromValues([0f, (float)Math.Log(3)], 1, 2);

        var scores = OutputMapper.ToClassScores([a, b], model);

        Assert.Equal(0.5 * (0.5 + 0.25), scores[0].Score, 6);
        Assert.Equal(0.5 * (0.5 + 0.75), scores[1].Score, 6);
        Assert.Equal("Class 0", scores[0].Label.Name);
        Assert.Equal("Positive", scores[1].Label.Name);
    }
}
