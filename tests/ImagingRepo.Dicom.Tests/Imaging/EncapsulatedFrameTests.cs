using System.Buffers.Binary;
using ImagingRepo.Dicom.Imaging;

namespace ImagingRepo.Dicom.Tests.Imaging;

public sealed class EncapsulatedFrameTests
{
    private static readonly DicomTransferSyntax EncapsulatedUncompressed = DicomTransferSyntax.FromUid("1.2.840.10008.1.2.1.98");
    private static readonly DicomTransferSyntax Rle = DicomTransferSyntax.FromUid("1.2.840.10008.1.2.5");

    // two 2×2 8-bit frames, each in two fragments; each frame opens with FF D8 so the fragment scan finds it
    private static readonly byte[][] Frames = [[0xFF, 0xD8, 1, 2], [0xFF, 0xD8, 3, 4]];

    [Fact]
    public void Frames_are_found_through_the_basic_offset_table()
    {
        var dataset = Encapsulated(basicOffsets: [0, 2 * (8 + 2)]);
        AssertFrames(TestImages.Open(dataset, EncapsulatedUncompressed));
    }

    [Fact]
    public void Frames_are_found_through_the_extended_offset_table()
    {
        var dataset = Encapsulated(basicOffsets: []);
        var table = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(8), 2 * (8 + 2));
        dataset.Add(new DicomValueElement(DicomTags.ExtendedOffsetTable, DicomVR.OV, table));
        AssertFrames(TestImages.Open(dataset, EncapsulatedUncompressed));
    }

    [Fact]
    public void Without_a_table_frames_are_found_by_scanning_for_codestream_starts()
    {
        AssertFrames(TestImages.Open(Encapsulated(basicOffsets: []), EncapsulatedUncompressed));
    }

    [Fact]
    public void An_offset_that_is_not_a_fragment_start_gives_the_typed_error()
    {
        var error = Assert.Throws<DicomPixelDataException>(() => TestImages.Open(Encapsulated(basicOffsets: [0, 7]), EncapsulatedUncompressed));
        Assert.Contains("Basic Offset Table", error.Message, StringComparison.Ordinal);
        Assert.Throws<DicomPixelDataException>(() => TestImages.Open(Encapsulated(basicOffsets: [0]), EncapsulatedUncompressed));
    }

    [Fact]
    public void Rle_decodes_literal_and_replicate_runs_into_sixteen_bit_samples()
    {
        // 16-bit 2×2 values 0x0102 0x0102 0x0304 0x0506: high bytes 01 01 03 05, low bytes 02 02 04 06
        byte[] high = [0xFF, 0x01, 0x01, 0x03, 0x05]; // replicate 01 twice, then literal 03 05
        byte[] low = [0x03, 0x02, 0x02, 0x04, 0x06]; // literal of four
        var frame = RleFrame(high, low);
        var pixels = TestImages.Open(Single(TestImages.Image(2, 2, 16, 16, signed: false, []), frame), Rle);
        Assert.Equal([0x0102, 0x0102, 0x0304, 0x0506], TestImages.Stored(pixels));
    }

    [Fact]
    public void Rle_frames_that_disagree_with_the_attributes_give_the_typed_error()
    {
        var image = TestImages.Image(2, 2, 16, 16, signed: false, []);
        var oneSegment = RleFrame([0x03, 1, 2, 3, 4]);
        Assert.Throws<DicomPixelDataException>(() => TestImages.Stored(TestImages.Open(Single(image, oneSegment), Rle)));
        var shortSegment = RleFrame([0x00, 1], [0x00, 2]);
        var error = Assert.Throws<DicomPixelDataException>(() => TestImages.Stored(TestImages.Open(Single(image, shortSegment), Rle)));
        Assert.Contains("RLE Lossless", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_syntax_without_a_decoder_gives_the_typed_error_naming_it()
    {
        var syntax = DicomTransferSyntax.FromUid("1.2.840.10008.1.2.4.100"); // MPEG2 Main Profile / Main Level
        var error = Assert.Throws<DicomUnsupportedTransferSyntaxException>(() => TestImages.Open(Single(TestImages.Image(2, 2, 8, 8, signed: false, []), [1, 2, 3, 4]), syntax));
        Assert.Equal(syntax, error.TransferSyntax);
        Assert.Contains("1.2.840.10008.1.2.4.100", error.Message, StringComparison.Ordinal);
    }

    internal static byte[] RleFrame(params byte[][] segments)
    {
        var header = new byte[64];
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)segments.Length);
        var offset = 64;
        for (var i = 0; i < segments.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4 + (i * 4)), (uint)offset);
            offset += segments[i].Length;
        }

        return [.. header, .. segments.SelectMany(s => s)];
    }

    internal static DicomDataset Single(DicomDataset image, byte[] frame)
    {
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        fragments.Fragments.Add(new DicomFragment(ReadOnlyMemory<byte>.Empty));
        fragments.Fragments.Add(new DicomFragment(frame.Length % 2 == 0 ? frame : [.. frame, 0]));
        image.Add(fragments);
        return image;
    }

    private static DicomDataset Encapsulated(uint[] basicOffsets)
    {
        var dataset = TestImages.Image(2, 2, 8, 8, signed: false, [], frames: 2);
        var fragments = new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB);
        var table = new byte[basicOffsets.Length * 4];
        for (var i = 0; i < basicOffsets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(i * 4), basicOffsets[i]);
        }

        fragments.Fragments.Add(new DicomFragment(table));
        foreach (var frame in Frames)
        {
            fragments.Fragments.Add(new DicomFragment(frame.AsMemory(0, 2)));
            fragments.Fragments.Add(new DicomFragment(frame.AsMemory(2, 2)));
        }

        dataset.Add(fragments);
        return dataset;
    }

    private static void AssertFrames(DicomPixelData pixels)
    {
        Assert.True(pixels.IsEncapsulated);
        Assert.Equal([0xFF, 0xD8, 3, 4], TestImages.Stored(pixels, 1));
        Assert.Equal([0xFF, 0xD8, 1, 2], TestImages.Stored(pixels, 0));
    }
}
