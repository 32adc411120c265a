using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImagingRepo.Inference;

/// <summary>
/// The library's ActivitySource and Meter (both named <see cref="Name"/>); register them with OpenTelemetry
/// (<c>AddSource(InferenceTelemetry.Name)</c>, <c>AddMeter(InferenceTelemetry.Name)</c>). Tags carry model names,
/// providers and counts, never patient data or file paths.
/// </summary>
public static class InferenceTelemetry
{
    /// <summary>Name of the ActivitySource and the Meter.</summary>
    public const string Name = "ImagingRepo.Inference";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Runs = Meter.CreateCounter<long>("imagingrepo.inference.runs", description: "Model runs (one per batch)");

    internal static readonly Histogram<double> RunSeconds = Meter.CreateHistogram<double>("imagingrepo.inference.run.duration", unit: "s", description: "Time spent in the model's Run");

    internal static readonly Counter<long> SlicesPrepared = Meter.CreateCounter<long>("imagingrepo.inference.slices", description: "Slices decoded into volumes");

    internal static readonly Counter<long> OutputsWritten = Meter.CreateCounter<long>("imagingrepo.inference.outputs", description: "Result objects written (SEG, SR, JSON)");
}
