using System.Buffers;

namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// A float32 volume over a pooled buffer, x (column) fastest, then y (row), then z (slice) — which is also the memory
/// order of an NCHW batch of slices and of an NCDHW tensor — with its place in patient space.
/// </summary>
public sealed class Volume : IDisposable
{
    private float[]? _voxels;

    /// <summary>Creates a volume of zeros over a pooled buffer.</summary>
    /// <param name="geometry">Size, spacing and position.</param>
    public Volume(VolumeGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.SizeX < 1 || geometry.SizeY < 1 || geometry.SizeZ < 1 || geometry.VoxelCount > System.Array.MaxLength)
        {
            throw new ArgumentException($"a volume of {geometry.SizeX}x{geometry.SizeY}x{geometry.SizeZ} voxels cannot be held", nameof(geometry));
        }

        Geometry = geometry;
        Length = (int)geometry.VoxelCount;
        _voxels = ArrayPool<float>.Shared.Rent(Length);
        System.Array.Clear(_voxels, 0, Length);
    }

    /// <summary>Size, spacing and position.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>The number of voxels.</summary>
    public int Length { get; }

    /// <summary>The voxels.</summary>
    public Span<float> Voxels => Buffer.AsSpan(0, Length);

    /// <summary>The voxels as memory.</summary>
    public Memory<float> Memory => Buffer.AsMemory(0, Length);

    /// <summary>The voxels of one slice.</summary>
    /// <param name="k">The slice index.</param>
    /// <returns>The voxels.</returns>
    public Span<float> Slice(int k) => Buffer.AsSpan(k * Geometry.SizeX * Geometry.SizeY, Geometry.SizeX * Geometry.SizeY);

    /// <summary>The pooled array under the voxels (it may be longer than <see cref="Length"/>).</summary>
    internal float[] Array => Buffer;

    private float[] Buffer => _voxels ?? throw new ObjectDisposedException(nameof(Volume));

    /// <summary>Resizes to a number of voxels with trilinear interpolation (voxel centres aligned, extent kept).</summary>
    /// <param name="sizeX">Columns.</param>
    /// <param name="sizeY">Rows.</param>
    /// <param name="sizeZ">Slices.</param>
    /// <returns>A new volume.</returns>
    public Volume Resize(int sizeX, int sizeY, int sizeZ)
    {
        var resized = new Volume(Geometry.Resized(sizeX, sizeY, sizeZ));
        try
        {
            LinearResize.Resize(Buffer, Geometry.SizeX, Geometry.SizeY, Geometry.SizeZ, resized.Buffer, sizeX, sizeY, sizeZ);
            return resized;
        }
        catch
        {
            resized.Dispose();
            throw;
        }
    }

    /// <summary>Resamples to a voxel spacing with trilinear interpolation (extent kept; the size rounds to whole voxels).</summary>
    /// <param name="spacingX">mm between columns.</param>
    /// <param name="spacingY">mm between rows.</param>
    /// <param name="spacingZ">mm between slices.</param>
    /// <returns>A new volume.</returns>
    public Volume ResampleToSpacing(double spacingX, double spacingY, double spacingZ)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spacingX);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spacingY);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spacingZ);
        static int Size(int size, double spacing, double target) => Math.Max(1, (int)Math.Round(size * spacing / target));
        return Resize(Size(Geometry.SizeX, Geometry.SpacingX, spacingX), Size(Geometry.SizeY, Geometry.SpacingY, spacingY), Size(Geometry.SizeZ, Geometry.SpacingZ, spacingZ));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_voxels is { } voxels)
        {
            _voxels = null;
            ArrayPool<float>.Shared.Return(voxels);
        }
    }
}
