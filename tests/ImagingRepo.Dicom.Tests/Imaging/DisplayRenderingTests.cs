using System.Text.Json;
using ImagingRepo.Dicom.Imaging;
using ImagingRepo.Dicom.Tests.Deidentification;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// Frames as notebooks show them: every corpus image we read, in 8-bit RGB, against pydicom's modality LUT, windowing,
/// palette and colour conversion (<see cref="DisplayReference"/>); and the PNGs made from them as Pillow reads them.
/// </summary>
public sealed class DisplayRenderingTests
{
    /// <summary>Rounding of float32 against float64 arithmetic: one step of 255.</summary>
    private const int Tolerance = 1;

    /// <summary>Lossy JPEG frames differ from GDCM's by a unit or two before colour conversion multiplies it (1.772 × Cb).</summary>
    private const int LossyTolerance = 5;

    [SkippableFact]
    public void Display_pixels_of_every_corpus_image_match_pydicom_modality_window_palette_and_colour_conversion()
    {
        var gdcmconv = ExternalTools.Require("gdcmconv", "libgdcm-tools");
        var work = Directory.CreateTempSubdirectory("display-raw-");
        try
        {
            var cases = new List<(string Name, DicomPixelData Pixels, string ReferencePath)>();
            foreach (var (name, path, pixels) in CorpusImages())
            {
                // pydicom 2.3 reads 8-bit OW data of big-endian files word-swapped (see the native corpus test): its twin stands in
                var reference = name == "SC_rgb_small_odd_big_endian.dcm" ? Path.Combine(Path.GetDirectoryName(path)!, "SC_rgb_small_odd.dcm") : path;
                if (pixels.IsEncapsulated)
                {
                    reference = Path.Combine(work.FullName, name);
                    if (ExternalTools.Run(gdcmconv, "--raw", path, reference).ExitCode != 0 || !File.Exists(reference))
                    {
                        continue; // GDCM cannot decode it: the encapsulated corpus test covers what pydicom can
                    }
                }

                cases.Add((name, pixels, reference));
            }

            // the corpus has no MONOCHROME1 image with pixel data: CT_small declared MONOCHROME1 stands in, for both readers
            var inverted = DicomFile.Open(Path.Combine(TestSupport.TestEnvironment.RequireDicomCorpus(), "CT_small.dcm"));
            inverted.Dataset.SetString(DicomTags.PhotometricInterpretation, "MONOCHROME1");
            var invertedPath = Path.Combine(work.FullName, "CT_small_monochrome1.dcm");
            inverted.Save(invertedPath);
            cases.Add(("CT_small.dcm as MONOCHROME1", DicomPixelData.Open(DicomFile.Open(invertedPath)), invertedPath));

            var references = DisplayReference.Read([.. cases.Select(c => c.ReferencePath)]);
            var failures = new List<string>();
            var compared = new HashSet<string>();
            foreach (var (name, pixels, referencePath) in cases)
            {
                var (image, _) = references[referencePath];
                if (image is null)
                {
                    continue; // pydicom cannot render it (a broken file, or a photometric it has no rule for)
                }

                var rgb = new byte[pixels.PixelCount * 3];
                var tolerance = pixels.TransferSyntax.Uid is "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" ? LossyTolerance : Tolerance;
                for (var frame = 0; frame < pixels.FrameCount; frame++)
                {
                    pixels.ReadRgbFrame(frame, rgb);
                    if (FirstDifference(rgb, image.Frame(frame), tolerance) is { } difference)
                    {
                        failures.Add($"{name} frame {frame} ({pixels.PhotometricInterpretation}, {pixels.TransferSyntax.Name}): {difference}");
                        break;
                    }

                    compared.Add(pixels.PhotometricInterpretation);
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.Superset(new HashSet<string> { "MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL", "YBR_FULL_422", "PALETTE COLOR" }, compared);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [SkippableFact]
    public void Pngs_hold_the_display_pixels_grey_for_monochrome_and_rgb_otherwise()
    {
        var python = ExternalTools.Require("python3", "python3-pil");
        var work = Directory.CreateTempSubdirectory("png-");
        try
        {
            var rendered = new List<(string Png, byte[] Rgb, bool Grey, int Rows, int Columns)>();
            foreach (var (name, _, pixels) in CorpusImages())
            {
                var frame = pixels.FrameCount / 2;
                var png = Path.Combine(work.FullName, $"{name}.{frame}.png");
                File.WriteAllBytes(png, pixels.RenderPng(frame));
                var rgb = new byte[pixels.PixelCount * 3];
                pixels.ReadRgbFrame(frame, rgb);
                rendered.Add((png, rgb, pixels.IsMonochrome, pixels.Rows, pixels.Columns));
            }

            const string script = """
                import sys, json
                from PIL import Image
                result = {}
                for path in sys.argv[1:]:
                    with Image.open(path) as image:
                        image.load()
                        open(path + '.raw', 'wb').write(image.tobytes())
                        result[path] = {'mode': image.mode, 'width': image.width, 'height': image.height}
                print(json.dumps(result))
                """;
            var (exitCode, stdout, stderr) = TestSupport.ProcessRunner.Run(python, ["-c", script, .. rendered.Select(r => r.Png)]);
            if (exitCode != 0)
            {
                TestSupport.TestEnvironment.Unavailable<int>("Pillow (python3-pil): " + stderr.Trim());
            }

            using var json = JsonDocument.Parse(stdout);
            var failures = new List<string>();
            foreach (var (png, rgb, grey, rows, columns) in rendered)
            {
                var read = json.RootElement.GetProperty(png);
                var expected = grey ? rgb.Where((_, i) => i % 3 == 0).ToArray() : rgb;
                var pixels = File.ReadAllBytes(png + ".raw");
                if (read.GetProperty("mode").GetString() != (grey ? "L" : "RGB") || read.GetProperty("width").GetInt32() != columns
                    || read.GetProperty("height").GetInt32() != rows || !pixels.AsSpan().SequenceEqual(expected))
                {
                    failures.Add($"{Path.GetFileName(png)}: Pillow reads {read} and {(pixels.AsSpan().SequenceEqual(expected) ? "the same" : "other")} pixels");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.True(rendered.Count >= 20, $"only {rendered.Count} images rendered");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_png_starts_with_its_signature_and_header_and_ends_with_iend()
    {
        var pixels = TestImages.Open(TestImages.Image(2, 3, 8, 8, signed: false, [0, 50, 100, 150, 200, 250]));
        var png = pixels.RenderPng(0);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        // IHDR: 13 bytes, width 3, height 2, depth 8, greyscale (Pillow checks every chunk's CRC in the test above)
        Assert.Equal(new byte[] { 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 3, 0, 0, 0, 2, 8, 0, 0, 0, 0 }, png[8..29]);
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => pixels.RenderPng(1));
    }

    /// <summary>The corpus images ours reads (each file's first valid parse), skipping files it refuses: the corpus tests check those.</summary>
    private static IEnumerable<(string Name, string Path, DicomPixelData Pixels)> CorpusImages()
    {
        foreach (var entry in CorpusFiles.Load())
        {
            DicomPixelData pixels;
            try
            {
                var file = DicomFile.Open(entry.Path);
                if (!file.Dataset.Contains(DicomTags.PixelData))
                {
                    continue;
                }

                pixels = DicomPixelData.Open(file);
                var probe = new byte[pixels.PixelCount * 3];
                pixels.ReadRgbFrame(0, probe);
            }
            catch (Exception e) when (e is DicomReadException or DicomPixelDataException)
            {
                continue;
            }

            yield return (entry.Name, entry.Path, pixels);
        }
    }

    private static string? FirstDifference(ReadOnlySpan<byte> ours, ReadOnlySpan<byte> reference, int tolerance)
    {
        if (ours.Length != reference.Length)
        {
            return $"{ours.Length} bytes against {reference.Length}";
        }

        for (var i = 0; i < ours.Length; i++)
        {
            if (Math.Abs(ours[i] - reference[i]) > tolerance)
            {
                return $"pixel {i / 3} channel {i % 3}: {ours[i]} against {reference[i]} (tolerance {tolerance})";
            }
        }

        return null;
    }
}
