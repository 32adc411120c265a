using System.Text.Json;
using ImagingRepo.Dicom.Tests.Deidentification;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// Pixel values as pydicom (python3-pydicom with NumPy) reads them: every frame's samples, pixel-interleaved, as 64-bit
/// integers. The reference the native reader is held to, and (on GDCM's raw output) the decoders.
/// </summary>
internal static class PixelReference
{
    public sealed record Image(string Photometric, int Frames, int Rows, int Columns, int Samples, long[] Values)
    {
        public ReadOnlySpan<long> Frame(int frame)
        {
            var size = Rows * Columns * Samples;
            return Values.AsSpan(frame * size, size);
        }
    }

    private const string Script = """
        import sys, json, os
        import numpy as np
        import pydicom
        out_dir = sys.argv[1]
        result = {}
        for i, path in enumerate(sys.argv[2:]):
            try:
                ds = pydicom.dcmread(path)
                arr = ds.pixel_array
                frames = int(ds.get('NumberOfFrames', 1) or 1)
                spp = int(ds.get('SamplesPerPixel', 1))
                arr = np.ascontiguousarray(arr.reshape(frames, int(ds.Rows), int(ds.Columns), spp).astype('<i8'))
                name = os.path.join(out_dir, '%d.bin' % i)
                arr.tofile(name)
                result[path] = {'file': name, 'photometric': str(ds.PhotometricInterpretation), 'frames': frames,
                                'rows': int(ds.Rows), 'columns': int(ds.Columns), 'samples': spp}
            except Exception as e:
                result[path] = {'error': '%s: %s' % (type(e).__name__, e)}
        print(json.dumps(result))
        """;

    /// <summary>Reads the files with pydicom; a file pydicom cannot read maps to its error text.</summary>
    public static IReadOnlyDictionary<string, (Image? Image, string? Error)> Read(IReadOnlyList<string> paths)
    {
        var python = ExternalTools.Require("python3", "python3-pydicom");
        var folder = Directory.CreateTempSubdirectory("pixel-reference-");
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
                if (e.TryGetProperty("error", out var error))
                {
                    result[entry.Name] = (null, error.GetString());
                    continue;
                }

                var bytes = File.ReadAllBytes(e.GetProperty("file").GetString()!);
                var values = new long[bytes.Length / 8];
                Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 8);
                result[entry.Name] = (new Image(e.GetProperty("photometric").GetString()!, e.GetProperty("frames").GetInt32(),
                    e.GetProperty("rows").GetInt32(), e.GetProperty("columns").GetInt32(), e.GetProperty("samples").GetInt32(), values), null);
            }

            return result;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The first sample index where ours and the reference differ, with both values, or null when equal.</summary>
    public static string? FirstDifference(ReadOnlySpan<long> ours, ReadOnlySpan<long> reference)
    {
        if (ours.Length != reference.Length)
        {
            return $"{ours.Length} samples against {reference.Length}";
        }

        for (var i = 0; i < ours.Length; i++)
        {
            if (ours[i] != reference[i])
            {
                return $"sample {i}: {ours[i]} against {reference[i]}";
            }
        }

        return null;
    }
}
