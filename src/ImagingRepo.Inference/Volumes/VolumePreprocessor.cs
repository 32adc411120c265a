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
        var g = volume.Geometry;
        var is3D = preprocessing.Layout == TensorLayout.Ncdhw;
        Volume prepared;
        if (preprocessing.Spacing is { } spacing)
        {
            prepared = is3D
                ? volume.ResampleToSpacing(spacing[2], spacing[1], spacing[0])
                : volume.ResampleToSpacing(spacing[1], spacing[0], g.SpacingZ);
        }
        else if (preprocessing.Size is { } size)
        {
            prepared = is3D ? volume.Resize(size[2], size[1], size[0]) : volume.Resize(size[1], size[0], g.SizeZ);
        }
        else
        {
            prepared = volume.Resize(g.SizeX, g.SizeY, g.SizeZ);
        }

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
