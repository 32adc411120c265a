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
                arr = arr.reshape(frames, int(ds.Rows), int(ds.Columns), spp).astype('<i8')
                # stored values: Bits Stored bits, two's complement where Pixel Representation is 1 (pydicom leaves
                # the bits above Bits Stored as the file has them)
                bits = int(ds.BitsStored)
                if bits < 64:
                    arr = arr & ((1 << bits) - 1)
                    if int(ds.get('PixelRepresentation', 0)) == 1:
                        sign = 1 << (bits - 1)
                        arr = (arr ^ sign) - sign
                arr = np.ascontiguousarray(arr)
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
    public static string? FirstDifference(ReadOnlySpan<long> ours, ReadOnlySpan<long> reference, int tolerance = 0)
    {
        if (ours.Length != reference.Length)
        {
            return $"{ours.Length} samples against {reference.Length}";
        }

        var largest = 0L;
        var at = -1;
        for (var i = 0; i < ours.Length; i++)
        {
            var difference = Math.Abs(ours[i] - reference[i]);
            if (difference > largest)
            {
                largest = difference;
                at = i;
            }
        }

        return largest > tolerance ? $"sample {at}: {ours[at]} against {reference[at]} (largest difference {largest}, tolerance {tolerance})" : null;
    }
}
