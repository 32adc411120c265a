namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// A series assembled into a volume of modality values (HU for CT) on a regular grid, with the source slices it came
/// from and where each lies on the grid (a whole index, unless gaps were interpolated over).
/// </summary>
public sealed class SeriesVolume : IDisposable
{
    internal SeriesVolume(SourceSeries source, Volume volume, double[] slicePositions, IReadOnlyList<string> warnings)
    {
        Source = source;
        Volume = volume;
        SliceGridPositions = slicePositions;
        Warnings = warnings;
    }

    /// <summary>The source slices and their shared geometry.</summary>
    public SourceSeries Source { get; }

    /// <summary>The voxels and their geometry.</summary>
    public Volume Volume { get; }

    /// <summary>For each source slice (in <see cref="SourceSeries.Slices"/> order), its slice index on the grid.</summary>
    public IReadOnlyList<double> SliceGridPositions { get; }

    /// <summary>What was tolerated (gaps interpolated over, by option).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <inheritdoc />
    public void Dispose() => Volume.Dispose();
}
