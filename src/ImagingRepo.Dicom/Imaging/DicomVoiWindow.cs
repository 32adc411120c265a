namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// A VOI window (Window Center / Window Width and its function) that maps modality values to display intensities in
/// [0, 1] or [0, 255].
/// </summary>
/// <param name="Center">Window Center.</param>
/// <param name="Width">Window Width (at least 1 for <see cref="DicomVoiFunction.Linear"/>, more than 0 otherwise).</param>
/// <param name="Function">The VOI LUT Function.</param>
public readonly record struct DicomVoiWindow(double Center, double Width, DicomVoiFunction Function = DicomVoiFunction.Linear)
{
    /// <summary>A window spanning exactly <paramref name="minimum"/> to <paramref name="maximum"/>.</summary>
    /// <param name="minimum">The value shown black.</param>
    /// <param name="maximum">The value shown white.</param>
    /// <returns>The window (LINEAR_EXACT; width 1 when the range is empty).</returns>
    public static DicomVoiWindow FromRange(double minimum, double maximum)
    {
        var width = Math.Max(maximum - minimum, 1);
        return new DicomVoiWindow(minimum + (width / 2), width, DicomVoiFunction.LinearExact);
    }

    /// <summary>A window spanning the smallest to the largest finite value of <paramref name="values"/>.</summary>
    /// <param name="values">Modality values (e.g. a frame read with <see cref="DicomPixelData.ReadModalityFrame"/>).</param>
    /// <returns>The window.</returns>
    public static DicomVoiWindow FromValues(ReadOnlySpan<float> values)
    {
        var minimum = float.PositiveInfinity;
        var maximum = float.NegativeInfinity;
        foreach (var value in values)
        {
            if (float.IsFinite(value))
            {
                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }
        }

        return minimum > maximum ? FromRange(0, 1) : FromRange(minimum, maximum);
    }

    /// <summary>Reads the first window of a dataset (a top-level dataset or a Frame VOI LUT item); null when it has none or a width below the function's minimum.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <returns>The window, or null.</returns>
    public static DicomVoiWindow? FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.TryGetDouble(DicomTags.WindowCenter, out var center) || !dataset.TryGetDouble(DicomTags.WindowWidth, out var width)
            || !double.IsFinite(center) || !double.IsFinite(width))
        {
            return null;
        }

        var function = dataset.GetString(DicomTags.VOILUTFunction)?.Trim().ToUpperInvariant() switch
        {
            "LINEAR_EXACT" => DicomVoiFunction.LinearExact,
            "SIGMOID" => DicomVoiFunction.Sigmoid,
            _ => DicomVoiFunction.Linear,
        };
        var valid = function == DicomVoiFunction.Linear ? width >= 1 : width > 0;
        return valid ? new DicomVoiWindow(center, width, function) : null;
    }

    /// <summary>Maps one value to [0, 1].</summary>
    /// <param name="value">The modality value.</param>
    /// <returns>The display intensity.</returns>
    public double Apply(double value)
    {
        switch (Function)
        {
            case DicomVoiFunction.Sigmoid:
                return 1 / (1 + Math.Exp(-4 * (value - Center) / Width));
            case DicomVoiFunction.LinearExact:
                return Math.Clamp(((value - Center) / Width) + 0.5, 0, 1);
            default:
                var span = Math.Max(Width - 1, 1e-9);
                var low = Center - 0.5 - ((Width - 1) / 2);
                if (value <= low)
                {
                    return 0;
                }

                return value > Center - 0.5 + ((Width - 1) / 2) ? 1 : Math.Clamp(((value - (Center - 0.5)) / span) + 0.5, 0, 1);
        }
    }

    /// <summary>Maps values to [0, 1].</summary>
    /// <param name="values">Modality values.</param>
    /// <param name="destination">Display intensities, as long as <paramref name="values"/> at least.</param>
    public void Apply(ReadOnlySpan<float> values, Span<float> destination)
    {
        CheckLength(values.Length, destination.Length);
        if (Function == DicomVoiFunction.Sigmoid)
        {
            for (var i = 0; i < values.Length; i++)
            {
                destination[i] = (float)Apply(values[i]);
            }

            return;
        }

        var (scale, offset) = LinearCoefficients();
        for (var i = 0; i < values.Length; i++)
        {
            destination[i] = Math.Clamp((values[i] * scale) + offset, 0f, 1f);
        }
    }

    /// <summary>Maps values to 8-bit intensities (0 black, 255 white).</summary>
    /// <param name="values">Modality values.</param>
    /// <param name="destination">Intensities, as long as <paramref name="values"/> at least.</param>
    public void Apply(ReadOnlySpan<float> values, Span<byte> destination)
    {
        CheckLength(values.Length, destination.Length);
        if (Function == DicomVoiFunction.Sigmoid)
        {
            for (var i = 0; i < values.Length; i++)
            {
                destination[i] = (byte)Math.Round(Apply(values[i]) * 255);
            }

            return;
        }

        var (scale, offset) = LinearCoefficients();
        scale *= 255;
        offset = (offset * 255) + 0.5f;
        for (var i = 0; i < values.Length; i++)
        {
            var value = (values[i] * scale) + offset;
            destination[i] = value <= 0 ? (byte)0 : value >= 255 ? (byte)255 : (byte)value;
        }
    }

    /// <summary>The line y = x·scale + offset that the linear functions follow between their clamps.</summary>
    private (float Scale, float Offset) LinearCoefficients()
    {
        if (Function == DicomVoiFunction.LinearExact)
        {
            return ((float)(1 / Width), (float)(0.5 - (Center / Width)));
        }

        var span = Math.Max(Width - 1, 1e-9);
        return ((float)(1 / span), (float)(0.5 - ((Center - 0.5) / span)));
    }

    private static void CheckLength(int values, int destination)
    {
        if (destination < values)
        {
            throw new ArgumentException($"the destination holds {destination} values, {values} are needed", nameof(destination));
        }
    }
}
