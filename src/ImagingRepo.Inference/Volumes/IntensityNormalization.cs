using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace ImagingRepo.Inference.Volumes;

/// <summary>How intensities are mapped before they reach a model.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NormalizationKind>))]
public enum NormalizationKind
{
    /// <summary>Values pass unchanged (after clipping, when clip bounds are set).</summary>
    None = 0,

    /// <summary>A window (center, width) mapped to [0, 1], values outside clipped: the usual CT preprocessing.</summary>
    Window,

    /// <summary>Zero mean and unit variance over the volume: the usual MR preprocessing.</summary>
    ZScore,

    /// <summary>The volume's own minimum and maximum mapped to [0, 1].</summary>
    MinMax,

    /// <summary><c>value * Scale + Offset</c>.</summary>
    Linear,
}

/// <summary>An intensity normalization: what a model was trained with, applied to a volume in place.</summary>
public sealed record IntensityNormalization
{
    /// <summary>No change.</summary>
    public static IntensityNormalization None { get; } = new();

    /// <summary>The kind.</summary>
    [JsonPropertyName("kind")]
    public NormalizationKind Kind { get; init; }

    /// <summary>Window center (for <see cref="NormalizationKind.Window"/>).</summary>
    [JsonPropertyName("center")]
    public double Center { get; init; }

    /// <summary>Window width (for <see cref="NormalizationKind.Window"/>), positive.</summary>
    [JsonPropertyName("width")]
    public double Width { get; init; } = 1;

    /// <summary>Multiplier (for <see cref="NormalizationKind.Linear"/>).</summary>
    [JsonPropertyName("scale")]
    public double Scale { get; init; } = 1;

    /// <summary>Addend (for <see cref="NormalizationKind.Linear"/>).</summary>
    [JsonPropertyName("offset")]
    public double Offset { get; init; }

    /// <summary>Values below are raised to it before the mapping; null for none.</summary>
    [JsonPropertyName("clipMin")]
    public double? ClipMin { get; init; }

    /// <summary>Values above are lowered to it before the mapping; null for none.</summary>
    [JsonPropertyName("clipMax")]
    public double? ClipMax { get; init; }

    /// <summary>A CT window.</summary>
    /// <param name="center">Center in HU.</param>
    /// <param name="width">Width in HU.</param>
    /// <returns>The normalization.</returns>
    public static IntensityNormalization CtWindow(double center, double width) => new() { Kind = NormalizationKind.Window, Center = center, Width = width };

    /// <summary>Applies the normalization to values in place.</summary>
    /// <param name="values">The values (a whole volume, for the statistics of z-score and min-max).</param>
    public void Apply(Span<float> values)
    {
        if (ClipMin is not null || ClipMax is not null)
        {
            Clip(values, (float)(ClipMin ?? double.NegativeInfinity), (float)(ClipMax ?? double.PositiveInfinity));
        }

        switch (Kind)
        {
            case NormalizationKind.None:
                return;
            case NormalizationKind.Window:
                if (Width <= 0)
                {
                    throw new ArgumentException($"window width must be positive, not {Width}");
                }

                var low = Center - (Width / 2);
                Clip(values, (float)low, (float)(low + Width));
                ScaleShift(values, (float)(1 / Width), (float)(-low / Width));
                return;
            case NormalizationKind.Linear:
                ScaleShift(values, (float)Scale, (float)Offset);
                return;
            case NormalizationKind.MinMax:
                var (min, max) = MinMaxOf(values);
                var range = max - min;
                ScaleShift(values, range > 0 ? 1 / range : 0, range > 0 ? -min / range : 0);
                return;
            case NormalizationKind.ZScore:
                var (mean, deviation) = MeanAndDeviation(values);
                ScaleShift(values, deviation > 0 ? (float)(1 / deviation) : 0, deviation > 0 ? (float)(-mean / deviation) : 0);
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(values), Kind, "unknown normalization kind");
        }
    }

    private static void Clip(Span<float> values, float low, float high)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var lo = new Vector<float>(low);
            var hi = new Vector<float>(high);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] = Vector.Min(Vector.Max(vectors[v], lo), hi);
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            values[i] = Math.Clamp(values[i], low, high);
        }
    }

    private static void ScaleShift(Span<float> values, float scale, float shift)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            var s = new Vector<float>(scale);
            var a = new Vector<float>(shift);
            for (var v = 0; v < vectors.Length; v++)
            {
                vectors[v] = (vectors[v] * s) + a;
            }

            i = vectors.Length * Vector<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            values[i] = (values[i] * scale) + shift;
        }
    }

    private static (float Min, float Max) MinMaxOf(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return (0, 0);
        }

        var min = float.PositiveInfinity;
        var max = float.NegativeInfinity;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }

        return (min, max);
    }

    private static (double Mean, double Deviation) MeanAndDeviation(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty)
        {
            return (0, 0);
        }

        // Welford's update keeps the variance exact for large volumes with a large mean (CT in HU)
        double mean = 0, squares = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var delta = values[i] - mean;
            mean += delta / (i + 1);
            squares += delta * (values[i] - mean);
        }

        return (mean, Math.Sqrt(squares / values.Length));
    }
}
