namespace ImagingRepo.Inference.Volumes;

/// <summary>How strictly a series must be a regular stack of slices.</summary>
public sealed record VolumeAssemblyOptions
{
    /// <summary>
    /// What a gap or an irregular step does: an error (default), or a warning after which the volume is sampled on a
    /// regular grid, missing slices interpolated between their neighbours.
    /// </summary>
    public bool GapsAreErrors { get; init; } = true;

    /// <summary>How far a step may differ from the usual step, as a fraction of it (default 0.1).</summary>
    public double SpacingTolerance { get; init; } = 0.1;

    /// <summary>How far two slices' direction cosines may differ (default 0.001).</summary>
    public double OrientationTolerance { get; init; } = 1e-3;

    /// <summary>Slices decoded at once (default: the processor count).</summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;
}
