using ImagingRepo.Dicom.Imaging;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>The example of docs/imaging.md, compiled and run so that the documentation cannot drift from the API.</summary>
public sealed class ImagingDocsExamples
{
    [Fact]
    public void Reading_frames_for_analysis_and_display()
    {
        // a CT slice: stored -1024 … 1000 in 16-bit signed, rescale to HU with intercept -1024 and slope 1
        var dataset = TestImages.Image(2, 2, 16, 12, signed: true, TestImages.Words(0, 1024, 1064, 2024));
        dataset.SetString(DicomTags.RescaleIntercept, "-1024");
        dataset.SetString(DicomTags.RescaleSlope, "1");
        var folder = Directory.CreateTempSubdirectory("imagingrepo-docs-");
        var path = Path.Combine(folder.FullName, "ct.dcm");
        new DicomFile(dataset).Save(path);
        try
        {
            // --- docs: pixel data ---
            var pixels = DicomPixelData.Open(DicomFile.Open(path));   // attributes checked, nothing decoded yet

            var stored = new int[pixels.SampleCount];
            pixels.ReadStoredFrame(0, stored);                     // masked to Bits Stored, sign-extended, pixel-interleaved

            var hu = new float[pixels.SampleCount];
            pixels.ReadModalityFrame(0, hu);                       // × slope + intercept of that frame (functional groups first)

            var rgb = new byte[pixels.PixelCount * 3];
            pixels.ReadRgbFrame(0, rgb);                           // the frame's own window, else its value range
            pixels.ReadRgbFrame(0, rgb, new DicomVoiWindow(40, 400)); // or the caller's (CT soft tissue)

            byte[] png = pixels.RenderPng(0);                      // what a notebook shows: 8-bit grey or RGB PNG
            // --- end docs ---

            Assert.Equal([0, 1024, 1064, 2024], stored);
            Assert.Equal([-1024f, 0f, 40f, 1000f], hu);
            Assert.Equal(new byte[] { 0, 0, 0, 102, 102, 102, 128, 128, 128, 255, 255, 255 }, rgb); // HU 0 lies 40 below the centre of 400
            Assert.Equal(0x89, png[0]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
