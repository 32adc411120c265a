using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Volumes;

/// <summary>Brings a volume to what a model was trained on: its spacing or its input size, then its intensity normalization.</summary>
public static class VolumePreprocessor
{
    /// <summary>
    /// Resamples (to <see cref="ModelPreprocessing.Spacing"/>, when given; the input is then tiled) or resizes (to
    /// <see cref="ModelPreprocessing.Size"/>; a 2D model keeps the slice count), then normalizes.
    /// </summary>
    /// <param name="volume">The volume in modality values.</param>
    /// <param name="preprocessing">What the model expects.</param>
    /// <returns>A new volume on the model's grid.</returns>
    public static Volume Prepare(Volume volume, ModelPreprocessing preprocessing)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(preprocessing);
        var (x, y, z) = TargetSize(volume.Geometry, preprocessing);
        var prepared = volume.Resize(x, y, z);
        return Normalize(prepared, preprocessing);
    }

    /// <summary>The model grid's size (x, y, z) for a volume: its spacing or its input size; a 2D model keeps the slice count.</summary>
    /// <param name="g">The volume's geometry.</param>
    /// <param name="preprocessing">What the model expects.</param>
    /// <returns>Columns, rows and slices.</returns>
    internal static (int X, int Y, int Z) TargetSize(VolumeGeometry g, ModelPreprocessing preprocessing)
    {
        static int Size(int size, double spacing, double target)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(target);
            return Math.Max(1, (int)Math.Round(size * spacing / target));
        }

        var is3D = preprocessing.Layout == TensorLayout.Ncdhw;
        if (preprocessing.Spacing is { } spacing)
        {
            return is3D
                ? (Size(g.SizeX, g.SpacingX, spacing[2]), Size(g.SizeY, g.SpacingY, spacing[1]), Size(g.SizeZ, g.SpacingZ, spacing[0]))
                : (Size(g.SizeX, g.SpacingX, spacing[1]), Size(g.SizeY, g.SpacingY, spacing[0]), g.SizeZ);
        }

        if (preprocessing.Size is { } size)
        {
            return is3D ? (size[2], size[1], size[0]) : (size[1], size[0], g.SizeZ);
        }

        return (g.SizeX, g.SizeY, g.SizeZ);
    }

    /// <summary>Applies the normalization to a volume on the model grid, disposing it when that fails.</summary>
    internal static Volume Normalize(Volume prepared, ModelPreprocessing preprocessing)
    {
        try
        {
            preprocessing.Normalization.Apply(prepared.Voxels);
            return prepared;
        }
        catch
        {
            prepared.Dispose();
            throw;
        }
    }
}
