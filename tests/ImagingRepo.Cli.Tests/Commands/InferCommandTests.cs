using ImagingRepo.Cli.Commands;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>The command is thin over <c>InferenceRunner</c>: these check its arguments, its lines and its exit codes.</summary>
public sealed class InferCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-infer-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Model() => InferenceInputs.ThresholdModel(Path.Combine(_root, "models"));

    private string Series()
    {
        InferenceInputs.CtSeries(Path.Combine(_root, "dataset", "ct"));
        return Path.Combine(_root, "dataset");
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> InferAsync(string model, string dataset, string output, string device = "cpu", string? select = null)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await InferCommand.RunAsync(model, dataset, output, select, device, allowFallback: false, "binary", allowGaps: false, sessions: 1, verbose: false, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public async Task A_run_prints_the_model_the_provider_one_line_per_series_and_a_last_line()
    {
        var model = Model();
        var output = Path.Combine(_root, "out");

        var (exit, stdout, stderr) = await InferAsync(model, Series(), output);

        Assert.True(exit == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("model: threshold-segmenter 1.0.0 (ImagingRepo tests) sha256:", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("execution provider: CPUExecutionProvider", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^2\.25\.71: 6 slices -> SEG SEG_2\.25\.\d+\.dcm \(Bright 2\.304 ml\)$", lines[2]);
        Assert.Matches(@"^inferred 1 of 1 selected series \(1 found, 0 failed\) on CPUExecutionProvider in \d+\.\d\d s$", lines[^1]);
        Assert.True(File.Exists(Path.Combine(output, "inference-summary.json")));
    }

    [SkippableFact]
    public async Task A_cuda_request_without_a_gpu_is_exit_2_with_the_reason()
    {
        Skip.If(File.Exists("/dev/nvidia0"), "this machine has an NVIDIA GPU");
        var model = Model();

        var (exit, stdout, stderr) = await InferAsync(model, Series(), Path.Combine(_root, "out"), device: "cuda");

        Assert.Equal(2, exit);
        Assert.Empty(stdout);
        Assert.StartsWith("infer: Cuda execution was requested but is not available:", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
    }

    [SkippableFact]
    public async Task A_selector_that_matches_nothing_is_exit_3()
    {
        var model = Model();
        var selector = Path.Combine(_root, "select.json");
        File.WriteAllText(selector, """{ "attribute": "Modality", "equals": "MR" }""");

        var (exit, stdout, _) = await InferAsync(model, Series(), Path.Combine(_root, "out"), select: selector);

        Assert.Equal(3, exit);
        Assert.Contains("inferred 0 of 0 selected series (1 found, 0 failed)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_device_is_exit_2()
    {
        var (exit, _, stderr) = await InferAsync("m.onnx", _root, Path.Combine(_root, "out"), device: "gpu");

        Assert.Equal(2, exit);
        Assert.Contains("unknown --device 'gpu'", stderr, StringComparison.Ordinal);
    }
}
