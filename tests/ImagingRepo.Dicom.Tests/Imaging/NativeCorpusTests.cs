using ImagingRepo.Dicom.Imaging;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>Every native image of the shared corpus reads to the stored values pydicom gives.</summary>
public sealed class NativeCorpusTests
{
    [SkippableFact]
    public void Every_native_frame_of_the_corpus_matches_pydicom()
    {
        var candidates = new List<(string Path, DicomPixelData? Pixels, string? Refusal)>();
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

            if (file.TransferSyntax.IsEncapsulated || !file.Dataset.Contains(DicomTags.PixelData) || file.Dataset[DicomTags.PixelData] is not DicomValueElement)
            {
                continue;
            }

            try
            {
                candidates.Add((entry.Path, DicomPixelData.Open(file), null));
            }
            catch (DicomPixelDataException e)
            {
                candidates.Add((entry.Path, null, e.Message));
            }
        }

        Assert.True(candidates.Count >= 15, $"only {candidates.Count} native images in the corpus");
        var reference = PixelReference.Read([.. candidates.Select(c => c.Path)]);
        var failures = new List<string>();
        var compared = 0;
        foreach (var (path, pixels, refusal) in candidates)
        {
            // pydicom 2.3 leaves 8-bit OW pixel data of big-endian files in word-swapped order; PS3.5 8.1.1 says the
            // bytes are swapped per word, so that file must read as its little-endian twin
            var referencePath = Path.GetFileName(path) == "SC_rgb_small_odd_big_endian.dcm"
                ? Path.Combine(Path.GetDirectoryName(path)!, "SC_rgb_small_odd.dcm")
                : path;
            var (image, _) = reference[referencePath];
            if (image is null)
            {
                // pydicom refuses some broken files (no Rows, truncated values): nothing to compare
                continue;
            }

            if (pixels is null)
            {
                failures.Add($"{Path.GetFileName(path)}: pydicom reads it, ours refuses: {refusal}");
                continue;
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
                    failures.Add($"{Path.GetFileName(path)} frame {frame}: {e.Message}");
                    break;
                }

                if (PixelReference.FirstDifference(values, image.Frame(frame)) is { } difference)
                {
                    failures.Add($"{Path.GetFileName(path)} frame {frame} ({pixels.PhotometricInterpretation}, {pixels.BitsAllocated}/{pixels.BitsStored} bits): {difference}");
                    break;
                }

                compared++;
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(compared >= 15, $"only {compared} frames compared");
    }
}
