namespace ImagingRepo.Dicom.Imaging;

/// <summary>Colour samples to 8-bit RGB: YBR_FULL by the PS3.3 C.7.6.3.1.2 equations, deeper samples scaled down.</summary>
internal static class ColorConversion
{
    /// <summary>RGB samples (any bits stored) to 8-bit RGB.</summary>
    public static void RgbTo8Bit(ReadOnlySpan<int> samples, int bitsStored, Span<byte> rgb)
    {
        var shift = Math.Max(bitsStored - 8, 0);
        for (var i = 0; i < samples.Length; i++)
        {
            rgb[i] = (byte)Math.Clamp(samples[i] >> shift, 0, 255);
        }
    }

    /// <summary>YBR_FULL samples to 8-bit RGB (chroma centred at half the range of <paramref name="bitsStored"/>).</summary>
    public static void YbrFullToRgb(ReadOnlySpan<int> samples, int bitsStored, Span<byte> rgb)
    {
        var shift = Math.Max(bitsStored - 8, 0);
        var half = 1 << (Math.Min(bitsStored, 8) - 1);
        for (var i = 0; i + 2 < samples.Length; i += 3)
        {
            double y = samples[i] >> shift;
            double cb = (samples[i + 1] >> shift) - half;
            double cr = (samples[i + 2] >> shift) - half;
            rgb[i] = Clamp(y + (1.402 * cr));
            rgb[i + 1] = Clamp(y - (0.344136 * cb) - (0.714136 * cr));
            rgb[i + 2] = Clamp(y + (1.772 * cb));
        }
    }

    private static byte Clamp(double value) => (byte)Math.Clamp((int)Math.Round(value), 0, 255);
}
