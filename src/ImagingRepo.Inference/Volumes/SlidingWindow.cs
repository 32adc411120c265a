using System.Numerics;
using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// Runs a segmentation model over a prepared volume and gathers its per-voxel output on the same grid: slices as a
/// batch (2D), the whole volume (3D), or — where the volume is larger than the model's window — overlapping windows
/// whose outputs are blended with Gaussian weights (heaviest at a window's centre, where its context is best).
/// </summary>
public static class SlidingWindow
{
    /// <summary>Windows run per batch call: bounds the memory of tiles in flight.</summary>
    private const int TilesPerCall = 16;

    /// <summary>Runs the model over the volume.</summary>
    /// <param name="model">The model.</param>
    /// <param name="volume">The prepared (resampled and normalized) volume.</param>
    /// <param name="cancellationToken">Cancels the remaining runs.</param>
    /// <returns>The output channels on the volume's grid; dispose them.</returns>
    /// <exception cref="InferenceException">The model's output is not per-voxel on its input's grid.</exception>
    public static async Task<ChannelVolume> RunAsync(OnnxModel model, Volume volume, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(volume);
        var preprocessing = model.Description.Preprocessing;
        var g = volume.Geometry;
        var is3D = preprocessing.Layout == TensorLayout.Ncdhw;
        var channelsIn = model.Description.Inputs[0].Dimensions[1] > 0 ? (int)model.Description.Inputs[0].Dimensions[1] : 1;
        if (channelsIn != 1)
        {
            throw new ModelInputMismatchException(model.Description.Inputs[0].Name, model.Description.Inputs[0].ToString(), "one channel (a single series)");
        }

        // the window in (x, y, z): the model's input size, else the whole volume (a 2D model sees one slice)
        var size = preprocessing.Size;
        var wx = size is null ? g.SizeX : size[^1];
        var wy = size is null ? g.SizeY : size[^2];
        var wz = is3D ? (size is null ? g.SizeZ : size[0]) : 1;
        var tiles = Tiles(g.SizeX, g.SizeY, g.SizeZ, wx, wy, wz, preprocessing.Overlap);
        var weights = tiles.Count > (is3D ? 1 : g.SizeZ) ? Gaussian(wx, wy, wz) : null;

        ChannelVolume? output = null;
        float[]? weightSum = weights is null ? null : new float[g.VoxelCount];
        try
        {
            for (var start = 0; start < tiles.Count; start += TilesPerCall)
            {
                var batch = tiles.Skip(start).Take(TilesPerCall).ToList();
                var inputs = batch.Select(t => Extract(volume, t, wx, wy, wz, is3D)).ToList();
                try
                {
                    var results = await model.RunBatchAsync(inputs, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        for (var i = 0; i < batch.Count; i++)
                        {
                            var tensor = results[i][0];
                            var channels = Channels(tensor, wx, wy, wz, is3D, model.Description.Outputs[0].Name);
                            output ??= new ChannelVolume(channels, g);
                            Accumulate(output, weightSum, weights, tensor.Span, batch[i], wx, wy, wz);
                        }
                    }
                    finally
                    {
                        foreach (var result in results)
                        {
                            result.Dispose();
                        }
                    }
                }
                finally
                {
                    inputs.ForEach(t => t.Dispose());
                }
            }

            if (weightSum is not null)
            {
                for (var c = 0; c < output!.Channels; c++)
                {
                    var channel = output.Channel(c);
                    for (var v = 0; v < channel.Length; v++)
                    {
                        channel[v] /= weightSum[v];
                    }
                }
            }

            return output!;
        }
        catch
        {
            output?.Dispose();
            throw;
        }
    }

    /// <summary>Where a window starts along each axis.</summary>
    internal readonly record struct Tile(int X, int Y, int Z);

    /// <summary>Window starts covering each axis: a stride of the window less the overlap, the last flush with the end.</summary>
    internal static List<Tile> Tiles(int sx, int sy, int sz, int wx, int wy, int wz, double overlap)
    {
        static List<int> Starts(int size, int window, double overlap)
        {
            if (size <= window)
            {
                return [0];
            }

            var stride = Math.Max(1, (int)(window * (1 - overlap)));
            var starts = new List<int>();
            for (var s = 0; s + window < size; s += stride)
            {
                starts.Add(s);
            }

            starts.Add(size - window);
            return starts;
        }

        var tiles = new List<Tile>();
        foreach (var z in Starts(sz, wz, overlap))
        {
            foreach (var y in Starts(sy, wy, overlap))
            {
                foreach (var x in Starts(sx, wx, overlap))
                {
                    tiles.Add(new Tile(x, y, z));
                }
            }
        }

        return tiles;
    }

    /// <summary>A window of the volume as a model input; outside the volume (a volume smaller than the window) is zero.</summary>
    private static InferenceTensor Extract(Volume volume, Tile tile, int wx, int wy, int wz, bool is3D)
    {
        var g = volume.Geometry;
        var tensor = is3D ? InferenceTensor.Create(1, 1, wz, wy, wx) : InferenceTensor.Create(1, 1, wy, wx);
        var target = tensor.Span;
        var voxels = volume.Voxels;
        var cx = Math.Min(wx, g.SizeX - tile.X);
        for (var z = 0; z < Math.Min(wz, g.SizeZ - tile.Z); z++)
        {
            for (var y = 0; y < Math.Min(wy, g.SizeY - tile.Y); y++)
            {
                voxels.Slice(((((tile.Z + z) * g.SizeY) + tile.Y + y) * g.SizeX) + tile.X, cx).CopyTo(target.Slice(((z * wy) + y) * wx, cx));
            }
        }

        return tensor;
    }

    private static int Channels(InferenceTensor output, int wx, int wy, int wz, bool is3D, string name)
    {
        var shape = output.Shape;
        var spatial = is3D ? new long[] { wz, wy, wx } : [wy, wx];
        if (shape.Length == spatial.Length + 2 && shape[2..].SequenceEqual(spatial))
        {
            return (int)shape[1];
        }

        if (shape.Length == spatial.Length + 1 && shape[1..].SequenceEqual(spatial))
        {
            return 1; // a label map without a channel dimension
        }

        throw new InferenceException($"output '{name}' is {TensorDescription.FormatShape(shape.ToArray())}, not per-voxel on the input window {TensorDescription.FormatShape(spatial)}; it cannot be a segmentation");
    }

    private static void Accumulate(ChannelVolume output, float[]? weightSum, float[]? weights, ReadOnlySpan<float> values, Tile tile, int wx, int wy, int wz)
    {
        var g = output.Geometry;
        var windowVoxels = wx * wy * wz;
        var cx = Math.Min(wx, g.SizeX - tile.X);
        for (var c = 0; c < output.Channels; c++)
        {
            var channel = output.Channel(c);
            var source = values.Slice(c * windowVoxels, windowVoxels);
            for (var z = 0; z < Math.Min(wz, g.SizeZ - tile.Z); z++)
            {
                for (var y = 0; y < Math.Min(wy, g.SizeY - tile.Y); y++)
                {
                    var target = ((((tile.Z + z) * g.SizeY) + tile.Y + y) * g.SizeX) + tile.X;
                    var from = ((z * wy) + y) * wx;
                    AddRow(source.Slice(from, cx), weights is null ? default : weights.AsSpan(from, cx), channel.Slice(target, cx));
                    if (c == 0 && weightSum is not null)
                    {
                        AddWeights(weights!.AsSpan(from, cx), weightSum.AsSpan(target, cx));
                    }
                }
            }
        }
    }

    /// <summary><c>target += values · weights</c> (weight 1 where there are none), vectorised; the same products and sums as one voxel at a time.</summary>
    private static void AddRow(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, Span<float> target)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            for (; x <= values.Length - width; x += width)
            {
                var products = weights.IsEmpty ? new Vector<float>(values[x..]) * Vector<float>.One : new Vector<float>(values[x..]) * new Vector<float>(weights[x..]);
                (new Vector<float>(target[x..]) + products).CopyTo(target[x..]);
            }
        }

        for (; x < values.Length; x++)
        {
            target[x] += values[x] * (weights.IsEmpty ? 1 : weights[x]);
        }
    }

    /// <summary><c>sums += weights</c>, vectorised.</summary>
    private static void AddWeights(ReadOnlySpan<float> weights, Span<float> sums)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            for (; x <= weights.Length - width; x += width)
            {
                (new Vector<float>(sums[x..]) + new Vector<float>(weights[x..])).CopyTo(sums[x..]);
            }
        }

        for (; x < weights.Length; x++)
        {
            sums[x] += weights[x];
        }
    }

    /// <summary>Gaussian importance of each window voxel (σ = 1/8 of the window per axis), never below 1e-3.</summary>
    private static float[] Gaussian(int wx, int wy, int wz)
    {
        static double[] Axis(int n)
        {
            var sigma = Math.Max(n * 0.125, 1e-6);
            var centre = (n - 1) / 2.0;
            return [.. Enumerable.Range(0, n).Select(i => Math.Exp(-((i - centre) * (i - centre)) / (2 * sigma * sigma)))];
        }

        double[] ax = Axis(wx), ay = Axis(wy), az = Axis(wz);
        var weights = new float[wx * wy * wz];
        for (var z = 0; z < wz; z++)
        {
            for (var y = 0; y < wy; y++)
            {
                for (var x = 0; x < wx; x++)
                {
                    weights[(((z * wy) + y) * wx) + x] = (float)Math.Max(ax[x] * ay[y] * az[z], 1e-3);
                }
            }
        }

        return weights;
    }
}
