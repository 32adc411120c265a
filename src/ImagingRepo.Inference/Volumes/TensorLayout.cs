namespace ImagingRepo.Inference.Volumes;

/// <summary>How a volume is laid out as a model input tensor.</summary>
public enum TensorLayout
{
    /// <summary>2D: each slice is one item of the batch, <c>[N, C, H, W]</c> with N slices.</summary>
    Nchw = 0,

    /// <summary>3D: the volume (or a window of it) is one item, <c>[N, C, D, H, W]</c>.</summary>
    Ncdhw,
}
