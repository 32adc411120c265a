using System.Text.Json;
using ImagingRepo.Dicom.Tests.Deidentification;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// What a frame looks like in 8-bit RGB by pydicom's own steps: its stored values, <c>apply_modality_lut</c>, the first
/// declared window by the PS3.3 C.11.2.1.2 equations (else the frame's range), MONOCHROME1 inverted,
/// <c>apply_color_lut</c> for palettes and <c>convert_color_space</c> for YBR_FULL. The reference for
/// <see cref="ImagingRepo.Dicom.Imaging.DicomPixelData.ReadRgbFrame(int, System.Span{byte})"/> and the PNGs made from it.
/// </summary>
internal static class DisplayReference
{
    public sealed record Image(string Photometric, int Frames, int Rows, int Columns, byte[] Rgb)
    {
        public ReadOnlySpan<byte> Frame(int frame) => Rgb.AsSpan(frame * Rows * Columns * 3, Rows * Columns * 3);
    }

    private const string Script = """
        import sys, json, os
        import numpy as np
        import pydicom
        from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_color_lut, convert_color_space
        def first(value):
            return float(value[0] if isinstance(value, pydicom.multival.MultiValue) else value)
        out_dir = sys.argv[1]
        result = {}
        for i, path in enumerate(sys.argv[2:]):
            try:
                ds = pydicom.dcmread(path)
                frames = int(ds.get('NumberOfFrames', 1) or 1)
                rows, cols, spp = int(ds.Rows), int(ds.Columns), int(ds.get('SamplesPerPixel', 1))
                arr = ds.pixel_array.reshape(frames, rows, cols, spp).astype('i8')
                pi = str(ds.PhotometricInterpretation)
                bits = int(ds.BitsStored)
                if pi in ('MONOCHROME1', 'MONOCHROME2'):
                    v = arr[..., 0] & ((1 << bits) - 1)
                    if int(ds.get('PixelRepresentation', 0)) == 1:
                        sign = 1 << (bits - 1)
                        v = (v ^ sign) - sign
                    v = np.asarray(apply_modality_lut(v, ds), dtype='f8')
                    if 'WindowCenter' in ds and 'WindowWidth' in ds and first(ds.WindowWidth) >= 1:
                        c, w = first(ds.WindowCenter), first(ds.WindowWidth)
                        if str(ds.get('VOILUTFunction', 'LINEAR')).upper() == 'LINEAR_EXACT':
                            y = (v - c) / w + 0.5
                        else:
                            y = np.where(v <= c - 0.5 - (w - 1) / 2, 0.0,
                                np.where(v > c - 0.5 + (w - 1) / 2, 1.0, (v - (c - 0.5)) / max(w - 1, 1e-9) + 0.5))
                    else:
                        y = np.empty_like(v)
                        for f in range(frames):
                            low, high = v[f].min(), v[f].max()
                            y[f] = (v[f] - low) / max(high - low, 1)
                    g = np.floor(np.clip(y, 0, 1) * 255 + 0.5)
                    if pi == 'MONOCHROME1':
                        g = 255 - g
                    rgb = np.repeat(g[..., None], 3, axis=3)
                elif pi == 'PALETTE COLOR':
                    rgb = apply_color_lut(arr[..., 0], ds).astype('i8')
                    if int(ds.RedPaletteColorLookupTableDescriptor[2]) == 16:
                        rgb = rgb >> 8
                elif pi in ('YBR_FULL', 'YBR_FULL_422') and bits == 8:
                    rgb = np.stack([convert_color_space(arr[f].astype('u1'), 'YBR_FULL', 'RGB') for f in range(frames)])
                elif pi == 'RGB':
                    rgb = arr >> max(bits - 8, 0)
                else:
                    raise ValueError('no display rule for ' + pi)
                rgb = np.ascontiguousarray(np.clip(rgb, 0, 255).astype('u1'))
                name = os.path.join(out_dir, '%d.bin' % i)
                rgb.tofile(name)
                result[path] = {'file': name, 'photometric': pi, 'frames': frames, 'rows': rows, 'columns': cols}
            except Exception as e:
                result[path] = {'error': '%s: %s' % (type(e).__name__, e)}
        print(json.dumps(result))
        """;

    /// <summary>Renders the files with pydicom; a file it cannot render maps to its error text.</summary>
    public static IReadOnlyDictionary<string, (Image? Image, string? Error)> Read(IReadOnlyList<string> paths)
    {
        var python = ExternalTools.Require("python3", "python3-pydicom");
        var folder = Directory.CreateTempSubdirectory("display-reference-");
        try
        {
            var (exitCode, stdout, stderr) = TestSupport.ProcessRunner.Run(python, ["-c", Script, folder.FullName, .. paths]);
            if (exitCode != 0)
            {
                return TestSupport.TestEnvironment.Unavailable<IReadOnlyDictionary<string, (Image?, string?)>>("pydicom with NumPy (" + stderr.Trim() + ")");
            }

            using var json = JsonDocument.Parse(stdout);
            var result = new Dictionary<string, (Image?, string?)>();
            foreach (var entry in json.RootElement.EnumerateObject())
            {
                var e = entry.Value;
                result[entry.Name] = e.TryGetProperty("error", out var error)
                    ? (null, error.GetString())
                    : (new Image(e.GetProperty("photometric").GetString()!, e.GetProperty("frames").GetInt32(), e.GetProperty("rows").GetInt32(),
                        e.GetProperty("columns").GetInt32(), File.ReadAllBytes(e.GetProperty("file").GetString()!)), null);
            }

            return result;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
