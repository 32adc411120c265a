using System.Buffers;

namespace ImagingRepo.Inference.Volumes;

/// <summary>A model's per-voxel output on a grid: one float32 volume per channel (class), channel-major, pooled.</summary>
public sealed class ChannelVolume : IDisposable
{
    private float[]? _values;

    /// <summary>Creates zeroed channels.</summary>
    /// <param name="channels">Channels, at least 1.</param>
    /// <param name="geometry">The grid.</param>
    public ChannelVolume(int channels, VolumeGeometry geometry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentNullException.ThrowIfNull(geometry);
        var length = checked((int)(channels * geometry.VoxelCount));
        Channels = channels;
        Geometry = geometry;
        _values = ArrayPool<float>.Shared.Rent(length);
        Array.Clear(_values, 0, length);
    }

    /// <summary>Channels.</summary>
    public int Channels { get; }

    /// <summary>The grid.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The voxels of one channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The voxels (x fastest, then y, then z).</returns>
    public Span<float> Channel(int channel) => Values.AsSpan(checked((int)(channel * Geometry.VoxelCount)), (int)Geometry.VoxelCount);

    internal float[] Values => _values ?? throw new ObjectDisposedException(nameof(ChannelVolume));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_values is { } values)
        {
            _values = null;
            ArrayPool<float>.Shared.Return(values);
        }
    }
}
