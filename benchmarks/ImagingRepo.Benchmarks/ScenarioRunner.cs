namespace ImagingRepo.Benchmarks;

/// <summary>Dispatches named whole-scenario benchmarks; each scenario prints its summary last.</summary>
internal static class ScenarioRunner
{
    // One entry per area; scenarios register here as their issues land.
    private static readonly Dictionary<string, Func<string[], Task<int>>> Scenarios = new(StringComparer.OrdinalIgnoreCase)
    {
        ["jobs"] = Jobs.JobsScenario.RunAsync,
        ["tracing"] = Tracing.TracingScenario.RunAsync,
        ["dicom-corpus"] = Dicom.SyntheticDicomCorpus.RunAsync,
        ["service"] = Service.ServiceLoadScenario.RunAsync,
        ["inference"] = Inference.InferenceScenario.RunAsync,
        ["upload"] = Upload.UploadScenario.RunAsync,
    };

    /// <summary>Runs the scenario named by the first argument, or returns null when none matches.</summary>
    public static async Task<int?> RunAsync(string[] args)
    {
        if (args.Length == 0 || !Scenarios.TryGetValue(args[0], out var scenario))
        {
            return null;
        }

        return await scenario(args[1..]).ConfigureAwait(false);
    }
}
