using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// Maps a model's output back onto the source: every source pixel is located in the model's grid through patient
/// space, the output channels are interpolated there (trilinear; nearest for label outputs), and the pixel takes the
/// winning class — so labels land on the source slices at their true positions whatever the resampling was.
/// </summary>
public static class OutputMapper
{
    /// <summary>The label map on the source grid.</summary>
    /// <param name="output">The model's output channels on the model grid.</param>
    /// <param name="source">The assembled source series (grid and slice positions).</param>
    /// <param name="model">What the output holds (kind, threshold).</param>
    /// <returns>The mask: 0 background, else the class (channel) index, or the label value for label outputs.</returns>
    public static SegmentationMask ToSourceMask(ChannelVolume output, SeriesVolume source, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(model);
        if (model.OutputKind == ModelOutputKind.Labels && output.Channels > 1)
        {
            throw new InferenceException($"model {model.Name} declares label outputs but gives {output.Channels} channels");
        }

        var src = source.Volume.Geometry;
        var dst = output.Geometry;
        var columns = source.Source.Columns;
        var rows = source.Source.Rows;
        var mask = new SegmentationMask(columns, rows, source.Source.Slices.Count);

        // the grids share their directions, so each axis maps on its own: model index = a·source index + b
        var origin = dst.PatientToIndex(src.IndexToPatient(0, 0, 0));
        var unit = dst.PatientToIndex(src.IndexToPatient(1, 1, 1));
        var xTaps = Enumerable.Range(0, columns).Select(i => Tap(origin.I + (i * (unit.I - origin.I)), dst.SizeX)).ToArray();
        var yTaps = Enumerable.Range(0, rows).Select(j => Tap(origin.J + (j * (unit.J - origin.J)), dst.SizeY)).ToArray();
        var nearest = model.OutputKind == ModelOutputKind.Labels;
        var threshold = model.OutputKind == ModelOutputKind.Logits
            ? (float)Math.Log(model.Threshold / (1 - model.Threshold))
            : (float)model.Threshold;

        var plane = dst.SizeX * dst.SizeY;
        Parallel.For(0, mask.Slices, () => new float[output.Channels * plane], (s, _, planes) =>
        {
            var zTap = Tap(origin.K + (source.SliceGridPositions[s] * (unit.K - origin.K)), dst.SizeZ);
            for (var c = 0; c < output.Channels; c++)
            {
                var channel = output.Channel(c);
                var target = planes.AsSpan(c * plane, plane);
                if (nearest)
                {
                    channel.Slice((zTap.Weight < 0.5f ? zTap.Low : zTap.High) * plane, plane).CopyTo(target);
                }
                else
                {
                    LinearResize.Lerp(channel.Slice(zTap.Low * plane, plane), channel.Slice(zTap.High * plane, plane), zTap.Weight, target);
                }
            }

            var labels = mask.Labels.AsSpan(s * columns * rows, columns * rows);
            for (var j = 0; j < rows; j++)
            {
                var ty = yTaps[j];
                for (var i = 0; i < columns; i++)
                {
                    var tx = xTaps[i];
                    labels[(j * columns) + i] = nearest
                        ? (byte)Math.Clamp(Math.Round(planes[((ty.Weight < 0.5f ? ty.Low : ty.High) * dst.SizeX) + (tx.Weight < 0.5f ? tx.Low : tx.High)]), 0, 255)
                        : Decide(planes, plane, dst.SizeX, output.Channels, tx, ty, threshold);
                }
            }

            return planes;
        }, _ => { });
        return mask;
    }

    /// <summary>
    /// Class scores from classification outputs (<c>[N, C]</c> per item): softmax of logits (a sigmoid for one channel),
    /// probabilities as they are, averaged over the items (the slices of a 2D model).
    /// </summary>
    /// <param name="outputs">The first output of each run.</param>
    /// <param name="model">Kind and labels.</param>
    /// <returns>A score per class, labelled from the model's labels (or "Class n").</returns>
    public static IReadOnlyList<ClassScore> ToClassScores(IReadOnlyList<InferenceTensor> outputs, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(model);
        if (outputs.Count == 0)
        {
            throw new ArgumentException("no outputs to score", nameof(outputs));
        }

        var classes = (int)outputs[0].Shape[^1];
        var sums = new double[classes];
        var items = 0;
        foreach (var output in outputs)
        {
            if (output.Shape[^1] != classes || output.Length % classes != 0)
            {
                throw new InferenceException($"classification output {TensorDescription.FormatShape(output.Shape.ToArray())} is not [N, {classes}]");
            }

            for (var row = 0; row < output.Length / classes; row++, items++)
            {
                var values = output.Span.Slice(row * classes, classes);
                var probabilities = Probabilities(values, model.OutputKind);
                for (var c = 0; c < classes; c++)
                {
                    sums[c] += probabilities[c];
                }
            }
        }

        return [.. Enumerable.Range(0, classes).Select(c => new ClassScore(model.FindLabel(c) ?? new ModelLabel { Value = c, Name = $"Class {c}" }, sums[c] / items))];
    }

    private static double[] Probabilities(ReadOnlySpan<float> values, ModelOutputKind kind)
    {
        var result = new double[values.Length];
        if (kind != ModelOutputKind.Logits)
        {
            for (var c = 0; c < values.Length; c++)
            {
                result[c] = values[c];
            }

            return result;
        }

        if (values.Length == 1)
        {
            result[0] = 1 / (1 + Math.Exp(-values[0]));
            return result;
        }

        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        double sum = 0;
        for (var c = 0; c < values.Length; c++)
        {
            result[c] = Math.Exp(values[c] - max);
            sum += result[c];
        }

        for (var c = 0; c < values.Length; c++)
        {
            result[c] /= sum;
        }

        return result;
    }

    private static byte Decide(float[] planes, int plane, int width, int channels, LinearResize.Tap tx, LinearResize.Tap ty, float threshold)
    {
        float Sample(int c)
        {
            var p = planes.AsSpan(c * plane, plane);
            var top = p[(ty.Low * width) + tx.Low] + ((p[(ty.Low * width) + tx.High] - p[(ty.Low * width) + tx.Low]) * tx.Weight);
            var bottom = p[(ty.High * width) + tx.Low] + ((p[(ty.High * width) + tx.High] - p[(ty.High * width) + tx.Low]) * tx.Weight);
            return top + ((bottom - top) * ty.Weight);
        }

        if (channels == 1)
        {
            return Sample(0) > threshold ? (byte)1 : (byte)0;
        }

        var best = 0;
        var bestValue = Sample(0);
        for (var c = 1; c < Math.Min(channels, 256); c++)
        {
            var value = Sample(c);
            if (value > bestValue)
            {
                best = c;
                bestValue = value;
            }
        }

        return (byte)best;
    }

    private static LinearResize.Tap Tap(double coordinate, int size) => LinearResize.TapAt(coordinate, size);
}
