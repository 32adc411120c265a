namespace ImagingRepo.Inference.Volumes;

/// <summary>
/// Trilinear resizing as three separable linear passes (x, then y, then z), each with weights computed once per axis
/// and slices processed in parallel. Voxel centres are aligned: target index t samples source coordinate
/// <c>(t + 0.5)·S/T − 0.5</c>, clamped to the source, so the outer edges of the volume stay in place.
/// </summary>
internal static class LinearResize
{
    /// <summary>The two source indices and the weight of the second for each target index along one axis.</summary>
    internal readonly record struct Tap(int Low, int High, float Weight);

    public static Tap[] Taps(int source, int target)
    {
        var taps = new Tap[target];
        var scale = (double)source / target;
        for (var t = 0; t < target; t++)
        {
            taps[t] = TapAt(((t + 0.5) * scale) - 0.5, source);
        }

        return taps;
    }

    /// <summary>The tap of a fractional source coordinate, clamped to the source.</summary>
    public static Tap TapAt(double coordinate, int source)
    {
        var x = Math.Clamp(coordinate, 0, source - 1);
        var low = Math.Min((int)x, source - 1);
        var high = Math.Min(low + 1, source - 1);
        return new Tap(low, high, (float)(x - low));
    }

    /// <summary>Resizes <paramref name="src"/> (sx·sy·sz values) into <paramref name="target"/> (tx·ty·tz values).</summary>
    public static void Resize(float[] src, int sx, int sy, int sz, float[] target, int tx, int ty, int tz)
    {
        if (sx == tx && sy == ty && sz == tz)
        {
            Array.Copy(src, target, sx * sy * sz);
            return;
        }

        var pool = System.Buffers.ArrayPool<float>.Shared;

        // x pass: [sz][sy][sx] -> [sz][sy][tx]
        var afterX = pool.Rent(sz * sy * tx);
        var tapsX = Taps(sx, tx);
        Parallel.For(0, sz, k =>
        {
            for (var j = 0; j < sy; j++)
            {
                var row = src.AsSpan(((k * sy) + j) * sx, sx);
                var outRow = afterX.AsSpan(((k * sy) + j) * tx, tx);
                for (var t = 0; t < tx; t++)
                {
                    var tap = tapsX[t];
                    outRow[t] = row[tap.Low] + ((row[tap.High] - row[tap.Low]) * tap.Weight);
                }
            }
        });

        // y pass: [sz][sy][tx] -> [sz][ty][tx]
        var afterY = pool.Rent(sz * ty * tx);
        var tapsY = Taps(sy, ty);
        Parallel.For(0, sz, k =>
        {
            for (var t = 0; t < ty; t++)
            {
                var tap = tapsY[t];
                Lerp(afterX.AsSpan(((k * sy) + tap.Low) * tx, tx), afterX.AsSpan(((k * sy) + tap.High) * tx, tx), tap.Weight, afterY.AsSpan(((k * ty) + t) * tx, tx));
            }
        });

        // z pass: [sz][ty][tx] -> [tz][ty][tx]
        var tapsZ = Taps(sz, tz);
        var plane = ty * tx;
        Parallel.For(0, tz, t =>
        {
            var tap = tapsZ[t];
            Lerp(afterY.AsSpan(tap.Low * plane, plane), afterY.AsSpan(tap.High * plane, plane), tap.Weight, target.AsSpan(t * plane, plane));
        });
        pool.Return(afterX);
        pool.Return(afterY);
    }

    /// <summary><c>out = a + (b − a)·w</c>, vectorised.</summary>
    public static void Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float weight, Span<float> destination)
    {
        if (weight == 0)
        {
            a.CopyTo(destination);
            return;
        }

        var i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated && a.Length >= System.Numerics.Vector<float>.Count)
        {
            var w = new System.Numerics.Vector<float>(weight);
            var width = System.Numerics.Vector<float>.Count;
            for (; i <= a.Length - width; i += width)
            {
                var va = new System.Numerics.Vector<float>(a[i..]);
                var vb = new System.Numerics.Vector<float>(b[i..]);
                (va + ((vb - va) * w)).CopyTo(destination[i..]);
            }
        }

        for (; i < a.Length; i++)
        {
            destination[i] = a[i] + ((b[i] - a[i]) * weight);
        }
    }
}
