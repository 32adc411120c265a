using BenchmarkDotNet.Running;

// Whole-scenario benchmarks are selected by a first argument naming the area (e.g. `tracing`, `jobs`)
// and print their figures on the last line; anything else goes to BenchmarkDotNet's switcher.
return await ImagingRepo.Benchmarks.ScenarioRunner.RunAsync(args).ConfigureAwait(false)
    ?? RunBenchmarkDotNet(args);

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(ImagingRepo.Benchmarks.ScenarioRunner).Assembly).Run(args);
    return 0;
}
