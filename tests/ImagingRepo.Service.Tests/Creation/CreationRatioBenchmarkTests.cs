using ImagingRepo.Service.Creation.Benchmarking;

namespace ImagingRepo.Service.Tests.Creation;

public sealed class CreationRatioBenchmarkTests
{
    [Fact]
    public async Task The_ratio_benchmark_measures_both_over_the_same_files_and_cleans_up()
    {
        var work = Path.Combine(Path.GetTempPath(), "imagingrepo-creation-ratio-" + Guid.NewGuid().ToString("N"));
        var log = new StringWriter();

        var ratio = await CreationRatioBenchmark.MeasureAsync(
            new CreationRatioOptions { WorkFolder = work, Studies = 8, SeriesPerStudy = 3, InstancesPerSeries = 2, PixelBytes = 8 * 1024, Rounds = 1 }, log);

        Assert.Equal(8 * 3 * 2, ratio.Files);
        Assert.True(ratio.Bytes > 8 * 3 * 2 * 8 * 1024);
        Assert.True(ratio.Creation > TimeSpan.Zero && ratio.HasherAlone > TimeSpan.Zero);
        Assert.Equal(ratio.Creation.TotalSeconds / ratio.HasherAlone.TotalSeconds, ratio.Ratio);
        Assert.StartsWith("create_ratio: lake of 8 studies x 3 series x 2 instances (48 files", log.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(work));
    }
}
