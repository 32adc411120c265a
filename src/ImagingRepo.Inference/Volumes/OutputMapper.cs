using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
        ArgumentNullException.ThrowIfNull(source);
        return ToSourceMask(output, source.Source, source.Volume.Geometry, source.SliceGridPositions, model, null);
    }

    /// <summary>The label map on the source grid of a series assembled straight onto the model's grid.</summary>
    /// <param name="output">The model's output channels on the model grid.</param>
    /// <param name="source">The prepared series (source slices, grid and slice positions).</param>
    /// <param name="model">What the output holds (kind, threshold).</param>
    /// <returns>The mask: 0 background, else the class (channel) index, or the label value for label outputs.</returns>
    public static SegmentationMask ToSourceMask(ChannelVolume output, PreparedSeries source, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ToSourceMask(output, source.Source, source.Grid, source.SliceGridPositions, model, null);
    }

    /// <summary>As <see cref="ToSourceMask(ChannelVolume, PreparedSeries, ModelDescription)"/>, writing into a buffer of an earlier mask when it has the right length.</summary>
    internal static SegmentationMask ToSourceMask(ChannelVolume output, PreparedSeries source, ModelDescription model, byte[]? reuse) =>
        ToSourceMask(output, source.Source, source.Grid, source.SliceGridPositions, model, reuse);

    private static SegmentationMask ToSourceMask(ChannelVolume output, SourceSeries series, VolumeGeometry grid, IReadOnlyList<double> sliceGridPositions, ModelDescription model, byte[]? reuse)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(model);
        if (model.OutputKind == ModelOutputKind.Labels && output.Channels > 1)
        {
            throw new InferenceException($"model {model.Name} declares label outputs but gives {output.Channels} channels");
        }

        var src = grid;
        var dst = output.Geometry;
        var columns = series.Columns;
        var rows = series.Rows;
        // every label is written below: the buffer need not be cleared first
        var length = checked(columns * rows * series.Slices.Count);
        var mask = new SegmentationMask(columns, rows, series.Slices.Count, reuse?.Length == length ? reuse : GC.AllocateUninitializedArray<byte>(length));

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
        var channels = output.Channels;
        var columnTaps = new ColumnTaps(xTaps);
        Parallel.For(0, mask.Slices, () => new SliceBuffers(channels, plane, dst.SizeY * columns, columns), (s, _, buffers) =>
        {
            var zTap = Tap(origin.K + (sliceGridPositions[s] * (unit.K - origin.K)), dst.SizeZ);
            for (var c = 0; c < channels; c++)
            {
                var channel = output.Channel(c);
                var target = buffers.Planes.AsSpan(c * plane, plane);
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
            if (nearest)
            {
                for (var j = 0; j < rows; j++)
                {
                    var ty = yTaps[j];
                    for (var i = 0; i < columns; i++)
                    {
                        var tx = xTaps[i];
                        labels[(j * columns) + i] = (byte)Math.Clamp(Math.Round(buffers.Planes[((ty.Weight < 0.5f ? ty.Low : ty.High) * dst.SizeX) + (tx.Weight < 0.5f ? tx.Low : tx.High)]), 0, 255);
                    }
                }
            }
            else
            {
                // bilinear in-plane as two separable passes (x on every model row once, then y per source row, vectorised):
                // the same arithmetic, in the same order, as interpolating each source pixel on its own
                InterpolateColumns(buffers, channels, plane, dst.SizeX, dst.SizeY, columns, columnTaps);
                for (var j = 0; j < rows; j++)
                {
                    var ty = yTaps[j];
                    for (var c = 0; c < channels; c++)
                    {
                        var across = buffers.Columns.AsSpan(c * dst.SizeY * columns, dst.SizeY * columns);
                        LinearResize.Lerp(across.Slice(ty.Low * columns, columns), across.Slice(ty.High * columns, columns), ty.Weight, buffers.Row.AsSpan(c * columns, columns));
                    }

                    Decide(buffers, channels, columns, threshold, labels.Slice(j * columns, columns));
                }
            }

            return buffers;
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

    /// <summary>
    /// Interpolates every model row of every channel across to the source's columns: eight columns at a time where AVX2
    /// gathers their two taps (the same arithmetic, in the same order, as one column at a time).
    /// </summary>
    private static void InterpolateColumns(SliceBuffers buffers, int channels, int plane, int width, int height, int columns, ColumnTaps taps)
    {
        for (var c = 0; c < channels; c++)
        {
            var p = buffers.Planes.AsSpan(c * plane, plane);
            var across = buffers.Columns.AsSpan(c * height * columns, height * columns);
            for (var y = 0; y < height; y++)
            {
                var row = p.Slice(y * width, width);
                var target = across.Slice(y * columns, columns);
                var i = 0;
                if (Avx2.IsSupported)
                {
                    unsafe
                    {
                        fixed (float* origin = row)
                        {
                            for (; i <= columns - 8; i += 8)
                            {
                                var low = Avx2.GatherVector256(origin, Vector256.Create(taps.Low.AsSpan(i, 8)), 4);
                                var high = Avx2.GatherVector256(origin, Vector256.Create(taps.High.AsSpan(i, 8)), 4);
                                (low + ((high - low) * Vector256.Create(taps.Weight.AsSpan(i, 8)))).CopyTo(target.Slice(i, 8));
                            }
                        }
                    }
                }

                for (; i < columns; i++)
                {
                    var low = row[taps.Low[i]];
                    target[i] = low + ((row[taps.High[i]] - low) * taps.Weight[i]);
                }
            }
        }
    }

    /// <summary>The x taps as three arrays (structure of arrays), for gathering eight at a time.</summary>
    private sealed class ColumnTaps
    {
        public ColumnTaps(LinearResize.Tap[] taps)
        {
            Low = [.. taps.Select(t => t.Low)];
            High = [.. taps.Select(t => t.High)];
            Weight = [.. taps.Select(t => t.Weight)];
        }

        public int[] Low { get; }

        public int[] High { get; }

        public float[] Weight { get; }
    }

    /// <summary>One source row's labels: above the threshold for one channel, else the channel with the highest value (the first on a tie).</summary>
    private static void Decide(SliceBuffers buffers, int channels, int columns, float threshold, Span<byte> labels)
    {
        var first = buffers.Row.AsSpan(0, columns);
        if (channels <= 2)
        {
            // one channel above the threshold, or the second channel above the first (the usual background/foreground pair)
            var other = channels == 1 ? default : buffers.Row.AsSpan(columns, columns);
            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                var scalar = Vector256.Create(threshold);
                for (; i <= columns - 32; i += 32)
                {
                    var m0 = channels == 1 ? Vector256.GreaterThan(Vector256.Create(first.Slice(i, 8)), scalar) : Vector256.GreaterThan(Vector256.Create(other.Slice(i, 8)), Vector256.Create(first.Slice(i, 8)));
                    var m1 = channels == 1 ? Vector256.GreaterThan(Vector256.Create(first.Slice(i + 8, 8)), scalar) : Vector256.GreaterThan(Vector256.Create(other.Slice(i + 8, 8)), Vector256.Create(first.Slice(i + 8, 8)));
                    var m2 = channels == 1 ? Vector256.GreaterThan(Vector256.Create(first.Slice(i + 16, 8)), scalar) : Vector256.GreaterThan(Vector256.Create(other.Slice(i + 16, 8)), Vector256.Create(first.Slice(i + 16, 8)));
                    var m3 = channels == 1 ? Vector256.GreaterThan(Vector256.Create(first.Slice(i + 24, 8)), scalar) : Vector256.GreaterThan(Vector256.Create(other.Slice(i + 24, 8)), Vector256.Create(first.Slice(i + 24, 8)));
                    var packed = Vector256.Narrow(Vector256.Narrow(m0.AsInt32(), m1.AsInt32()), Vector256.Narrow(m2.AsInt32(), m3.AsInt32())).AsByte();
                    (packed & Vector256<byte>.One).CopyTo(labels.Slice(i, 32));
                }
            }

            for (; i < columns; i++)
            {
                labels[i] = (channels == 1 ? first[i] > threshold : other[i] > first[i]) ? (byte)1 : (byte)0;
            }

            return;
        }

        labels.Clear();
        var best = buffers.Best.AsSpan(0, columns);
        first.CopyTo(best);
        for (var c = 1; c < Math.Min(channels, 256); c++)
        {
            var values = buffers.Row.AsSpan(c * columns, columns);
            for (var i = 0; i < columns; i++)
            {
                if (values[i] > best[i])
                {
                    best[i] = values[i];
                    labels[i] = (byte)c;
                }
            }
        }
    }

    /// <summary>Per-thread work space of the mapping: the slice's channel planes, those planes across, one source row and its best values.</summary>
    private sealed class SliceBuffers(int channels, int plane, int across, int columns)
    {
        public float[] Planes { get; } = new float[channels * plane];

        public float[] Columns { get; } = new float[channels * across];

        public float[] Row { get; } = new float[channels * columns];

        public float[] Best { get; } = new float[columns];
    }

    private static LinearResize.Tap Tap(double coordinate, int size) => LinearResize.TapAt(coordinate, size);
}
