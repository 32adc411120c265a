using System.Buffers.Binary;
using ImagingRepo.Dicom.Imaging;

namespace ImagingRepo.Dicom.Tests.Imaging;

/// <summary>
/// The checks made before a system codec sees a codestream, each on the input the decoder fuzz test found: a JPEG-LS
/// frame cut short (CharLS 2.4 spins on it for seconds), a JPEG 2000 SIZ segment with a corrupt size or tiling
/// (OpenJPEG allocates for it while reading the header) and a JPEG Huffman table without codes (JpegLibrary 0.4 counts
/// through the int range building it).
/// </summary>
public sealed class CodestreamGuardTests
{
    [SkippableFact]
    public void A_jpeg_ls_frame_cut_short_is_refused_before_charls_reads_it()
    {
        var (file, frame) = Corpus("MR_small_jpeg_ls_lossless.dcm");
        var corrupt = frame[..1637];
        corrupt[42] = 0x0E;
        corrupt[45] = 0xB1;
        corrupt[1301] = 0x00;

        var error = Assert.Throws<DicomPixelDataException>(() => Decode(file, corrupt));
        Assert.Contains("End of Image", error.Message, StringComparison.Ordinal);
        Assert.Contains("JPEG-LS", error.Message, StringComparison.Ordinal);

        // padding after EOI (0x00 or 0xFF to an even length) is not a cut
        Assert.Equal(Decode(file, frame), Decode(file, [.. frame, 0x00, 0xFF]));
    }

    [SkippableFact]
    public void A_jpeg_2000_size_or_tiling_that_disagrees_with_the_attributes_is_refused_before_openjpeg_reads_it()
    {
        var (file, frame) = Corpus("MR_small_jp2klossless.dcm");
        Assert.Equal(0xFF4FFF51u, BinaryPrimitives.ReadUInt32BigEndian(frame)); // SOC, SIZ: Xsiz at 8, XTsiz at 24

        var wide = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(wide.AsSpan(8), 0x00FF0040);
        var error = Assert.Throws<DicomPixelDataException>(() => Decode(file, wide));
        Assert.Contains("16711744×64", error.Message, StringComparison.Ordinal);

        var tiny = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(tiny.AsSpan(24), 1);
        BinaryPrimitives.WriteUInt32BigEndian(tiny.AsSpan(28), 1);
        error = Assert.Throws<DicomPixelDataException>(() => Decode(file, tiny));
        Assert.Contains("4096 tiles", error.Message, StringComparison.Ordinal);

        var uncovered = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(uncovered.AsSpan(32), 1); // the first tile starts right of the image origin
        error = Assert.Throws<DicomPixelDataException>(() => Decode(file, uncovered));
        Assert.Contains("do not cover the image", error.Message, StringComparison.Ordinal);

        Assert.Equal(64 * 64, Decode(file, frame).Length);
    }

    [SkippableFact]
    public void A_jpeg_huffman_table_without_codes_is_refused_before_jpeglibrary_builds_it()
    {
        var (file, frame) = Corpus("SC_rgb_jpeg_gdcm.dcm");
        var table = frame.AsSpan().IndexOf([(byte)0xFF, (byte)0xC4]); // DHT: length, Tc/Th, 16 counts, values
        Assert.True(table > 0);
        var empty = (byte[])frame.Clone();
        empty.AsSpan(table + 5, 16).Clear();

        var error = Assert.Throws<DicomPixelDataException>(() => Decode(file, empty));
        Assert.Contains("Huffman table 0 (class 0) defines no codes", error.Message, StringComparison.Ordinal);
        Assert.Equal(100 * 100 * 3, Decode(file, frame).Length);
    }

    private static (DicomFile File, byte[] Frame) Corpus(string name)
    {
        var file = DicomFile.Open(Path.Combine(TestSupport.TestEnvironment.RequireDicomCorpus(), name));
        if (!FrameDecoders.IsClaimed(file.TransferSyntax)) // the system codecs; JPEG is always claimed
        {
            TestSupport.TestEnvironment.Unavailable<int>($"the system codec for {file.TransferSyntax.Name}");
        }

        var fragments = (DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!;
        return (file, fragments.Fragments.Skip(1).SelectMany(f => f.GetBytes().ToArray()).ToArray());
    }

    private static int[] Decode(DicomFile file, byte[] frame)
    {
        var dataset = file.Dataset.Clone();
        dataset.Remove(DicomTags.PixelData);
        var pixels = DicomPixelData.Open(new DicomFile(EncapsulatedFrameTests.Single(dataset, frame), file.TransferSyntax));
        return TestImages.Stored(pixels);
    }
}
