using Microsoft.ML.OnnxRuntime.Tensors;

namespace ImagingRepo.Inference.Runtime;

/// <summary>One input or output of a model as its ONNX graph declares it.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="ElementType">The element type.</param>
/// <param name="Dimensions">The dimensions; -1 where the dimension is free (symbolic or unknown).</param>
public sealed record TensorDescription(string Name, TensorElementType ElementType, IReadOnlyList<long> Dimensions)
{
    /// <summary>The number of dimensions.</summary>
    public int Rank => Dimensions.Count;

    /// <summary>True when the first dimension is free, so items can be stacked into one run.</summary>
    public bool HasFreeBatch => Dimensions.Count > 0 && Dimensions[0] < 0;

    /// <summary>The shape as text, e.g. <c>Float[?,1,64,64]</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{ElementType}{FormatShape(Dimensions)}";

    internal static string FormatShape(IEnumerable<long> dimensions) =>
        "[" + string.Join(",", dimensions.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
