using System.Diagnostics;
using System.Globalization;
using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;

namespace ImagingRepo.Benchmarks.Jobs;

/// <summary>
/// <c>jobs</c>: renders and policy-checks 10,000 HTC job specs (target >= 20,000/s), then provisions 200 workspaces
/// concurrently against the loopback fake Kubernetes API server. The last line is <c>jobs: render+check=N/s</c>.
/// </summary>
internal static class JobsScenario
{
    private const int Specs = 10_000;
    private const int Rounds = 5;
    private const int Workspaces = 200;
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        _ = args;
        var options = new JobsOptions();
        var renderer = new ManifestRenderer(options);
        var checker = new PolicyChecker(options.Policy);
        var workspace = new WorkspaceIdentity("bench", "user-bench", 1000, 1000, 2042);
        var specs = new HtcJob[Specs];
        for (int i = 0; i < specs.Length; i++)
        {
            specs[i] = new HtcJob
            {
                Name = "htc-" + i.ToString(CultureInfo.InvariantCulture),
                Image = "harbor.chaimeleon-eu.i3m.upv.es/tools/pyradiomics:3.1." + (i % 7).ToString(CultureInfo.InvariantCulture),
                DatasetIds = ["ds-" + (i % 50).ToString(CultureInfo.InvariantCulture), "ds-common"],
                Arguments = ["--shard-size", "100"],
                Completions = 1 + (i % 64),
                Parallelism = 1,
                Flavor = (i % 3) switch { 0 => "small", 1 => "medium", _ => "large" },
            };
        }

        // Warm up the JIT, then time whole rounds; report the median round.
        for (int warmUp = 0; warmUp < 3; warmUp++)
        {
            RenderAndCheck(renderer, checker, workspace, specs);
        }
        var rates = new double[Rounds];
        for (int round = 0; round < Rounds; round++)
        {
            var watch = Stopwatch.StartNew();
            int violations = RenderAndCheck(renderer, checker, workspace, specs);
            watch.Stop();
            if (violations != 0)
            {
                Console.Error.WriteLine($"jobs: {violations} unexpected policy violations");
                return 1;
            }

            rates[round] = Specs / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"round {round + 1}: {Specs} HTC specs rendered and checked in {watch.Elapsed.TotalMilliseconds:F1} ms ({rates[round]:F0}/s)");
        }

        Array.Sort(rates);
        double renderRate = rates[Rounds / 2];

        await using var fake = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { SimulateJobController = false });
        using var client = fake.CreateClient();
        var provisioner = new WorkspaceProvisioner(client, options);
        await provisioner.ProvisionAsync(new WorkspaceRequest("warm-up", 1));
        var provisionWatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Workspaces), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, ct) =>
        {
            var result = await provisioner.ProvisionAsync(new WorkspaceRequest("researcher" + i.ToString(CultureInfo.InvariantCulture), 5000 + i), ct);
            if (result.Created != 8)
            {
                throw new InvalidOperationException($"workspace {i}: {result.Created} objects created, expected 8");
            }
        });
        provisionWatch.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"provisioning: {Workspaces} workspaces x 8 objects, concurrency {Concurrency}, against the fake API server in {provisionWatch.Elapsed.TotalSeconds:F2} s ({Workspaces / provisionWatch.Elapsed.TotalSeconds:F0} workspaces/s, {fake.RequestCount} requests)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"jobs: render+check={renderRate:F0}/s"));
        return renderRate >= 20_000 ? 0 : 1;
    }

    private static int RenderAndCheck(ManifestRenderer renderer, PolicyChecker checker, WorkspaceIdentity workspace, ReadOnlySpan<HtcJob> specs)
    {
        var sink = new List<PolicyViolation>();
        foreach (var spec in specs)
        {
            var job = renderer.RenderJob(spec, workspace);
            checker.CheckInto(job, workspace, sink);
        }

        return sink.Count;
    }
}
