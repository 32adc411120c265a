namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// A series brought onto a model's grid without its full-resolution volume: the prepared voxels, and what mapping the
/// output back needs of the source (its slices, its regular grid and where each slice lies on it).
/// </summary>
public sealed class PreparedSeries : IDisposable
{
    internal PreparedSeries(SourceSeries source, VolumeGeometry grid, double[] sliceGridPositions, IReadOnlyList<string> warnings, Volume prepared)
    {
        Source = source;
        Grid = grid;
        SliceGridPositions = sliceGridPositions;
        Warnings = warnings;
        Prepared = prepared;
    }

    /// <summary>The source slices and their shared geometry.</summary>
    public SourceSeries Source { get; }

    /// <summary>The source's regular grid (in modality values it would be <see cref="SeriesVolume.Volume"/>'s geometry).</summary>
    public VolumeGeometry Grid { get; }

    /// <summary>For each source slice, its slice index on <see cref="Grid"/>.</summary>
    public IReadOnlyList<double> SliceGridPositions { get; }

    /// <summary>What was tolerated (gaps interpolated over, by option).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The resampled and normalized voxels the model runs on.</summary>
    public Volume Prepared { get; }

    /// <inheritdoc />
    public void Dispose() => Prepared.Dispose();
}
