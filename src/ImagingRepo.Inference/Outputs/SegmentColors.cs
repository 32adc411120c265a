namespace ImagingRepo.Inference.Outputs;

/// <summary>sRGB to the scaled CIELab (D50) of Recommended Display CIELab Value (PS3.3 C.10.7.1.1).</summary>
internal static class SegmentColors
{
    /// <summary>A distinct default colour per segment number, for labels the sidecar gives none.</summary>
    private static readonly int[][] Palette =
    [
        [230, 25, 75], [60, 180, 75], [255, 225, 25], [0, 130, 200], [245, 130, 48], [145, 30, 180],
        [70, 240, 240], [240, 50, 230], [210, 245, 60], [250, 190, 212], [0, 128, 128], [220, 190, 255],
    ];

    public static IReadOnlyList<int> Default(int segmentNumber) => Palette[(segmentNumber - 1) % Palette.Length];

    public static ushort[] ToDicomLab(IReadOnlyList<int> rgb)
    {
        static double Linear(int c)
        {
            var v = Math.Clamp(c, 0, 255) / 255.0;
            return v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        }

        double r = Linear(rgb[0]), g = Linear(rgb[1]), b = Linear(rgb[2]);

        // sRGB to XYZ adapted to D50 (Bradford), then CIELab against the D50 white
        var x = ((0.4360747 * r) + (0.3850649 * g) + (0.1430804 * b)) / 0.96422;
        var y = (0.2225045 * r) + (0.7168786 * g) + (0.0606169 * b);
        var z = ((0.0139322 * r) + (0.0971045 * g) + (0.7141733 * b)) / 0.82521;
        static double F(double t) => t > 216.0 / 24389 ? Math.Cbrt(t) : ((24389.0 / 27 * t) + 16) / 116;
        var l = (116 * F(y)) - 16;
        var a = 500 * (F(x) - F(y));
        var bb = 200 * (F(y) - F(z));
        return
        [
            (ushort)Math.Round(Math.Clamp(l, 0, 100) * 65535 / 100),
            (ushort)Math.Round((Math.Clamp(a, -128, 127) + 128) * 65535 / 255),
            (ushort)Math.Round((Math.Clamp(bb, -128, 127) + 128) * 65535 / 255),
        ];
    }
}
