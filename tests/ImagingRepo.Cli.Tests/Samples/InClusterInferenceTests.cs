using System.Reflection;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Samples;

/// <summary>
/// samples/InClusterInference run as a process, as the pod runs it (<c>run</c>, here on the CPU over a folder standing
/// in for the pod's home) and as the researcher renders its Job (<c>manifest</c>).
/// </summary>
public sealed class InClusterInferenceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("imagingrepo-incluster-test-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string SampleDll = typeof(InClusterInferenceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InClusterInferenceDll").Value!;

    private static (int ExitCode, string Stdout, string Stderr) Sample(params string[] args)
    {
        Assert.True(File.Exists(SampleDll), $"{SampleDll} is not built");
        return ProcessRunner.Run("dotnet", ["exec", SampleDll, .. args]);
    }

    /// <summary>A home as the pod sees it: dataset ds-1 mounted under datasets/, an empty persistent home.</summary>
    private string Home()
    {
        var home = Path.Combine(_root, "home");
        InferenceInputs.CtSeries(Path.Combine(home, "datasets", "ds-1", "subject-1", "ct"));
        Directory.CreateDirectory(Path.Combine(home, "persistent-home"));
        return home;
    }

    [SkippableFact]
    public void Run_writes_results_into_the_persistent_home_and_records_and_anchors_both_traces()
    {
        var model = InferenceInputs.ThresholdModel(Path.Combine(_root, "model"));
        var home = Home();

        var (code, stdout, stderr) = Sample("run", "--home", home, "--dataset", "ds-1", "--model", model, "--device", "Cpu", "--user", "alice");

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("loaded on CPUExecutionProvider", stdout, StringComparison.Ordinal);
        Assert.Contains("Dataset ds-1: 1 of 1 selected series (1 found)", stdout, StringComparison.Ordinal);
        var run = Assert.Single(Directory.GetDirectories(Path.Combine(home, "persistent-home", "inference")));
        Assert.Single(Directory.GetFiles(Path.Combine(run, "ds-1"), "SEG_*.dcm"));
        Assert.True(File.Exists(Path.Combine(run, "ds-1", "inference-summary.json")));

        // USE_DATASETS then USE_MODELS, both anchored in the ledger; the user only as a pseudonym
        Assert.Equal(2, stdout.Split('\n').Count(l => l.Contains(": Anchored", StringComparison.Ordinal)));
        var traces = Path.Combine(home, "persistent-home", ".imagingrepo", "traces");
        var ledger = File.ReadAllText(Path.Combine(traces, "ledger.jsonl"));
        Assert.Contains("\"action\":\"USE_DATASETS\"", ledger, StringComparison.Ordinal);
        Assert.Contains("\"action\":\"USE_MODELS\"", ledger, StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(traces))
        {
            Assert.DoesNotContain("alice", File.ReadAllText(file), StringComparison.Ordinal);
        }

        // nothing is ever written into the dataset
        Assert.Equal(6, Directory.GetFiles(Path.Combine(home, "datasets"), "*", SearchOption.AllDirectories).Length);
    }

    [SkippableFact]
    public void A_gpu_request_without_a_gpu_fails_before_any_use_is_recorded()
    {
        Skip.If(File.Exists("/dev/nvidia0"), "this machine has an NVIDIA GPU");
        var model = InferenceInputs.ThresholdModel(Path.Combine(_root, "model"));
        var home = Home();

        var (code, _, stderr) = Sample("run", "--home", home, "--dataset", "ds-1", "--model", model);

        Assert.Equal(2, code);
        Assert.StartsWith("run: Cuda execution was requested but is not available:", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home, "persistent-home", ".imagingrepo")));
        Assert.False(Directory.Exists(Path.Combine(home, "persistent-home", "inference")));
    }

    [Fact]
    public void A_dataset_that_is_not_mounted_is_refused()
    {
        var home = Home();

        var (code, _, stderr) = Sample("run", "--home", home, "--dataset", "ds-404", "--model", Path.Combine(_root, "none.onnx"), "--device", "Cpu");

        Assert.Equal(2, code);
        Assert.Contains("not mounted", stderr, StringComparison.Ordinal);
        Assert.Contains("ds-404", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Manifest_is_an_inference_job_with_one_gpu_the_datasets_and_the_model_and_no_policy_violation()
    {
        var (code, yaml, stderr) = Sample("manifest", "--user", "alice", "--dataset-gid", "2042", "--dataset", "ds-1", "--dataset", "ds-2", "--model-id", "liver-seg-2.1.0");

        Assert.True(code == 0, stderr);
        Assert.Empty(stderr);
        Assert.Contains("kind: Job", yaml, StringComparison.Ordinal);
        Assert.Contains("namespace: user-alice", yaml, StringComparison.Ordinal);
        Assert.Contains("nvidia.com/gpu: 1", yaml, StringComparison.Ordinal);
        Assert.Contains("chaimeleon.eu/datasetsIDs: ds-1,ds-2", yaml, StringComparison.Ordinal);
        Assert.Contains("value: liver-seg-2.1.0", yaml, StringComparison.Ordinal);
        Assert.Contains("- run", yaml, StringComparison.Ordinal);
    }
}
