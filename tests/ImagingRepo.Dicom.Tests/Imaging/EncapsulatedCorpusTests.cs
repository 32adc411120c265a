using ImagingRepo.Dicom.Imaging;
using ImagingRepo.Dicom.Tests.Deidentification;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// Every compressed frame of the shared corpus in a syntax we decode equals GDCM's decoding (<c>gdcmconv --raw</c>, read by
/// pydicom), or pydicom's own where GDCM cannot write the result; syntaxes we do not decode give the typed error.
/// </summary>
public sealed class EncapsulatedCorpusTests
{
    /// <summary>Files neither GDCM nor pydicom decode (a corrupt codestream): ours must decode them or raise the typed error.</summary>
    private static readonly HashSet<string> WithoutReference = ["JPEG2000-embedded-sequence-delimiter.dcm"];

    [SkippableFact]
    public void Every_compressed_frame_of_a_decodable_syntax_matches_gdcm_or_pydicom()
    {
        var gdcmconv = ExternalTools.Require("gdcmconv", "libgdcm-tools");
        var work = Directory.CreateTempSubdirectory("gdcm-raw-");
        try
        {
            var cases = new List<(string Name, DicomPixelData Pixels, string ReferencePath)>();
            var failures = new List<string>();
            var unsupported = new List<string>();
            foreach (var entry in CorpusFiles.Load())
            {
                DicomFile file;
                try
                {
                    file = DicomFile.Open(entry.Path);
                }
                catch (DicomReadException)
                {
                    continue;
                }

                if (file.Dataset[DicomTags.PixelData] is not DicomFragmentSequence)
                {
                    continue;
                }

                DicomPixelData pixels;
                try
                {
                    pixels = DicomPixelData.Open(file);
                }
                catch (DicomUnsupportedTransferSyntaxException e)
                {
                    Assert.Equal(file.TransferSyntax, e.TransferSyntax);
                    Assert.Contains(file.TransferSyntax.Uid, e.Message, StringComparison.Ordinal);
                    if (FrameDecoders.IsClaimed(file.TransferSyntax))
                    {
                        failures.Add($"{entry.Name}: {file.TransferSyntax.Name} is claimed but refused: {e.Message}");
                    }

                    unsupported.Add(entry.Name);
                    continue;
                }

                if (WithoutReference.Contains(entry.Name))
                {
                    DecodesOrRefuses(pixels, entry.Name, failures);
                    continue;
                }

                var raw = Path.Combine(work.FullName, entry.Name);
                var converted = ExternalTools.Run(gdcmconv, "--raw", entry.Path, raw).ExitCode == 0 && File.Exists(raw);
                cases.Add((entry.Name, pixels, converted ? raw : entry.Path));
            }

            var reference = PixelReference.Read([.. cases.Select(c => c.ReferencePath)]);
            var frames = 0;
            foreach (var (name, pixels, referencePath) in cases)
            {
                var (image, error) = reference[referencePath];
                if (image is null)
                {
                    failures.Add($"{name}: no reference decoding ({error})");
                    continue;
                }

                if (image.Photometric != pixels.DecodedPhotometricInterpretation)
                {
                    failures.Add($"{name}: decodes as {pixels.DecodedPhotometricInterpretation}, the reference as {image.Photometric}");
                }

                var values = new long[pixels.SampleCount];
                for (var frame = 0; frame < pixels.FrameCount; frame++)
                {
                    try
                    {
                        pixels.ReadStoredFrame(frame, values);
                    }
                    catch (DicomPixelDataException e)
                    {
                        failures.Add($"{name} frame {frame}: {e.Message}");
                        break;
                    }

                    if (PixelReference.FirstDifference(values, image.Frame(frame)) is { } difference)
                    {
                        failures.Add($"{name} frame {frame} ({pixels.TransferSyntax.Name}): {difference}");
                        break;
                    }

                    frames++;
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            Assert.True(cases.Count > 0, "no compressed image of the corpus decodes here");
            Assert.True(frames >= cases.Count);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void DecodesOrRefuses(DicomPixelData pixels, string name, List<string> failures)
    {
        var values = new long[pixels.SampleCount];
        for (var frame = 0; frame < pixels.FrameCount; frame++)
        {
            try
            {
                pixels.ReadStoredFrame(frame, values);
            }
            catch (DicomPixelDataException)
            {
            }
            catch (Exception e)
            {
                failures.Add($"{name} frame {frame}: {e.GetType().Name} instead of the typed error: {e.Message}");
            }
        }
    }
}
