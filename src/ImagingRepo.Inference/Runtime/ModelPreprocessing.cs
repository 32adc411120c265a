using System.Text.Json.Serialization;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// How a series becomes the model's input: layout, the spatial size (from the model's fixed dimensions, else the
/// sidecar), an optional target spacing (then the volume is resampled to it and tiled with sliding windows of the input
/// size), intensity normalization and the tiles' overlap.
/// </summary>
public sealed record ModelPreprocessing
{
    /// <summary>2D slices as a batch, or 3D volumes.</summary>
    [JsonPropertyName("layout")]
    [JsonConverter(typeof(JsonStringEnumConverter<TensorLayout>))]
    public TensorLayout Layout { get; init; }

    /// <summary>The spatial input size in tensor order (<c>[H, W]</c> or <c>[D, H, W]</c>); null until resolved from the model.</summary>
    [JsonPropertyName("size")]
    public IReadOnlyList<int>? Size { get; init; }

    /// <summary>Target voxel spacing in mm in tensor order; null to resize the whole series to <see cref="Size"/>.</summary>
    [JsonPropertyName("spacing")]
    public IReadOnlyList<double>? Spacing { get; init; }

    /// <summary>Intensity normalization applied to modality values (HU for CT).</summary>
    [JsonPropertyName("normalization")]
    public IntensityNormalization Normalization { get; init; } = IntensityNormalization.None;

    /// <summary>Fraction of a window that neighbouring sliding windows share (0 to 0.9; default 0.25).</summary>
    [JsonPropertyName("overlap")]
    public double Overlap { get; init; } = 0.25;
}
