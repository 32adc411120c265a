using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pixels;
using ImagingRepo.Dicom.Deidentification.Policy;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public class ScrubberAndMaskTests
{
    [Fact]
    public void Scrubber_blanks_names_components_ids_and_date_spellings()
    {
        var s = new IdentifierScrubber();
        s.Add("DOE^JOHNATHAN", isPersonName: true);
        s.Add("MRN12345");
        s.Add("19800704", isDate: true);
        s.Add("AB"); // too short to scrub safely

        var cleaned = s.Clean("CT for Johnathan Doe (mrn12345), born 04/07/1980, AB protocol");

        Assert.Equal("CT for ********* *** (********), born **********, AB protocol", cleaned);
        Assert.Equal("nothing here", s.Clean("nothing here"));
    }

    [Fact]
    public void Mask_zeroes_the_rectangle_in_every_frame_whatever_the_chunking()
    {
        // 2 frames of 4 rows x 5 columns, 16-bit, one sample
        var data = Enumerable.Repeat((byte)0xFF, 2 * 4 * 5 * 2).ToArray();
        var mask = PixelMask.TryCreate(4, 5, 16, 1, 0, [new PixelRectangle(1, 1, 2, 2)], out var reason)!;
        Assert.Null(reason);

        for (var offset = 0; offset < data.Length; offset += 7)
        {
            mask.Apply(data.AsSpan(offset, Math.Min(7, data.Length - offset)), offset);
        }

        for (var frame = 0; frame < 2; frame++)
        {
            for (var y = 0; y < 4; y++)
            {
                for (var x = 0; x < 5; x++)
                {
                    var i = (frame * 40) + (((y * 5) + x) * 2);
                    var masked = y is 1 or 2 && x is 1 or 2;
                    Assert.Equal(masked ? 0 : 0xFF, data[i]);
                    Assert.Equal(masked ? 0 : 0xFF, data[i + 1]);
                }
            }
        }
    }

    [Fact]
    public void Mask_handles_planar_colour_and_clips_to_the_image()
    {
        var data = Enumerable.Repeat((byte)1, 3 * 2 * 2).ToArray(); // RGB planar, 2x2
        var mask = PixelMask.TryCreate(2, 2, 8, 3, 1, [new PixelRectangle(1, 0, 10, 1)], out _)!;
        mask.Apply(data, 0);
        Assert.Equal([1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1], data);
        Assert.Null(PixelMask.TryCreate(2, 2, 1, 1, 0, [new PixelRectangle(0, 0, 1, 1)], out var reason));
        Assert.Contains("bits allocated 1", reason, StringComparison.Ordinal);
    }
}
