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
        Parallel.For(0, sz, k => AcrossRows(src.AsSpan(k * sy * sx, sy * sx), sx, sy, tapsX, afterX.AsSpan(k * sy * tx, sy * tx)));

        // y pass: [sz][sy][tx] -> [sz][ty][tx]
        var afterY = pool.Rent(sz * ty * tx);
        var tapsY = Taps(sy, ty);
        Parallel.For(0, sz, k => DownColumns(afterX.AsSpan(k * sy * tx, sy * tx), tx, tapsY, afterY.AsSpan(k * ty * tx, ty * tx)));

        // z pass: [sz][ty][tx] -> [tz][ty][tx]
        AcrossSlices(afterY, sz, ty * tx, target, tz);
        pool.Return(afterX);
        pool.Return(afterY);
    }

    /// <summary>The x pass of one slice: each of its <paramref name="sy"/> rows of <paramref name="sx"/> values interpolated to the taps' length.</summary>
    public static void AcrossRows(ReadOnlySpan<float> slice, int sx, int sy, Tap[] tapsX, Span<float> target)
    {
        var tx = tapsX.Length;
        for (var j = 0; j < sy; j++)
        {
            var row = slice.Slice(j * sx, sx);
            var outRow = target.Slice(j * tx, tx);
            for (var t = 0; t < tx; t++)
            {
                var tap = tapsX[t];
                outRow[t] = row[tap.Low] + ((row[tap.High] - row[tap.Low]) * tap.Weight);
            }
        }
    }

    /// <summary>The y pass of one slice: rows of <paramref name="tx"/> values interpolated to the taps' count of rows.</summary>
    public static void DownColumns(ReadOnlySpan<float> slice, int tx, Tap[] tapsY, Span<float> target)
    {
        for (var t = 0; t < tapsY.Length; t++)
        {
            var tap = tapsY[t];
            Lerp(slice.Slice(tap.Low * tx, tx), slice.Slice(tap.High * tx, tx), tap.Weight, target.Slice(t * tx, tx));
        }
    }

    /// <summary>The z pass: <paramref name="sz"/> planes of <paramref name="plane"/> values interpolated to <paramref name="tz"/> planes, in parallel.</summary>
    public static void AcrossSlices(float[] planes, int sz, int plane, float[] target, int tz)
    {
        var tapsZ = Taps(sz, tz);
        Parallel.For(0, tz, t =>
        {
            var tap = tapsZ[t];
            Lerp(planes.AsSpan(tap.Low * plane, plane), planes.AsSpan(tap.High * plane, plane), tap.Weight, target.AsSpan(t * plane, plane));
        });
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
