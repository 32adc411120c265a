using BenchmarkDotNet.Attributes;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using k8s.Models;

namespace ImagingRepo.Benchmarks.Jobs;

/// <summary>Micro-benchmarks of one HTC job: rendering, policy checking, and both (run with <c>--filter *RenderAndCheck*</c>).</summary>
[MemoryDiagnoser]
public class RenderAndCheckBenchmarks
{
    private readonly WorkspaceIdentity _workspace = new("bench", "user-bench", 1000, 1000, 2042);
    private ManifestRenderer _renderer = null!;
    private PolicyChecker _checker = null!;
    private HtcJob _spec = null!;
    private V1Job _job = null!;
    private readonly List<PolicyViolation> _sink = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = new JobsOptions();
        _renderer = new ManifestRenderer(options);
        _checker = new PolicyChecker(options.Policy);
        _spec = new HtcJob
        {
            Name = "htc-bench",
            Image = "harbor.chaimeleon-eu.i3m.upv.es/tools/pyradiomics:3.1.0",
            DatasetIds = ["ds-1", "ds-common"],
            Completions = 32,
            Flavor = "medium",
        };
        _job = _renderer.RenderJob(_spec, _workspace);
    }

    [Benchmark]
    public V1Job Render() => _renderer.RenderJob(_spec, _workspace);

    [Benchmark]
    public int Check()
    {
        _sink.Clear();
        return _checker.CheckInto(_job, _workspace, _sink);
    }

    [Benchmark(Baseline = true)]
    public int RenderAndCheck()
    {
        _sink.Clear();
        return _checker.CheckInto(_renderer.RenderJob(_spec, _workspace), _workspace, _sink);
    }
}
