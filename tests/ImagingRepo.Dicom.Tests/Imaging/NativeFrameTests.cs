using ImagingRepo.Dicom.Imaging;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Dicom.Tests.Imaging;

public sealed class NativeFrameTests
{
    [Fact]
    public void Twelve_bit_signed_values_are_masked_and_sign_extended()
    {
        // garbage above the high bit must be ignored: 0xF800 | 0x0800 is -2048 in 12 bits, 0x17FF is 2047
        var pixels = TestImages.Open(TestImages.Image(1, 4, 16, 12, signed: true, TestImages.Words(0xF800, 0x17FF, 0x0FFF, 0x0001)));
        Assert.Equal([-2048, 2047, -1, 1], TestImages.Stored(pixels));
    }

    [Fact]
    public void A_high_bit_above_bits_stored_shifts_the_values_down()
    {
        var dataset = TestImages.Image(1, 2, 16, 12, signed: false, TestImages.Words(0xFFF0, 0x0010));
        dataset.SetValues(DicomTags.HighBit, DicomVR.US, (ushort)15);
        Assert.Equal([4095, 1], TestImages.Stored(TestImages.Open(dataset)));
    }

    [Fact]
    public void One_bit_frames_that_do_not_start_on_a_byte_are_read_from_their_bit()
    {
        // three 3×3 frames: 27 bits, least significant bit first; frame 1 starts at bit 9
        var bits = new bool[27];
        int[][] expected = [[1, 0, 0, 0, 1, 0, 0, 0, 1], [0, 1, 0, 1, 0, 1, 0, 1, 0], [1, 1, 1, 0, 0, 0, 1, 1, 1]];
        for (var i = 0; i < 27; i++)
        {
            bits[i] = expected[i / 9][i % 9] == 1;
        }

        var bytes = new byte[4];
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                bytes[i / 8] |= (byte)(1 << (i % 8));
            }
        }

        var pixels = TestImages.Open(TestImages.Image(3, 3, 1, 1, signed: false, bytes, frames: 3));
        for (var frame = 0; frame < 3; frame++)
        {
            Assert.Equal(expected[frame], TestImages.Stored(pixels, frame));
        }
    }

    [Fact]
    public void Thirty_two_bit_values_keep_their_sign_and_full_range()
    {
        var signed = new int[] { int.MinValue, -1, 0, int.MaxValue };
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(signed.AsSpan()).ToArray();
        Assert.Equal(signed, TestImages.Stored(TestImages.Open(TestImages.Image(2, 2, 32, 32, signed: true, bytes))));

        var unsigned = TestImages.Open(TestImages.Image(2, 2, 32, 32, signed: false, bytes));
        Assert.Equal([2147483648f, 4294967295f, 0f, 2147483647f], TestImages.Modality(unsigned));
        Assert.Throws<DicomPixelDataException>(() => TestImages.Stored(unsigned));
    }

    [Fact]
    public void Planar_colour_is_read_pixel_interleaved()
    {
        // two pixels, planes R R G G B B
        var pixels = TestImages.Open(TestImages.Image(1, 2, 8, 8, signed: false, [10, 11, 20, 21, 30, 31], "RGB", samples: 3, planar: 1));
        Assert.Equal([10, 20, 30, 11, 21, 31], TestImages.Stored(pixels));
        Assert.Equal(new byte[] { 10, 20, 30, 11, 21, 31 }, TestImages.Rgb(pixels));
    }

    [Fact]
    public void Native_ybr_full_422_gives_each_pixel_its_pair_chroma_and_converts_to_rgb()
    {
        // Y1 Y2 Cb Cr for two pixels; neutral chroma (128) leaves grey
        var pixels = TestImages.Open(TestImages.Image(1, 2, 8, 8, signed: false, [50, 200, 128, 128], "YBR_FULL_422", samples: 3));
        Assert.Equal("YBR_FULL", pixels.DecodedPhotometricInterpretation);
        Assert.Equal([50, 128, 128, 200, 128, 128], TestImages.Stored(pixels));
        Assert.Equal(new byte[] { 50, 50, 50, 200, 200, 200 }, TestImages.Rgb(pixels));
    }

    [Fact]
    public void Ybr_full_converts_with_the_standard_equations()
    {
        // pure red in YBR_FULL: Y 76, Cb 85, Cr 255 (PS3.3 C.7.6.3.1.2)
        var pixels = TestImages.Open(TestImages.Image(1, 1, 8, 8, signed: false, [76, 85, 255], "YBR_FULL", samples: 3));
        var rgb = TestImages.Rgb(pixels);
        Assert.InRange(rgb[0], 253, 255);
        Assert.InRange(rgb[1], 0, 2);
        Assert.InRange(rgb[2], 0, 2);
    }

    [Fact]
    public void Rescale_comes_from_the_frame_then_the_shared_functional_group_then_the_top_level()
    {
        var dataset = TestImages.Image(1, 2, 16, 16, signed: true, TestImages.Words(100, 200, 100, 200, 100, 200), frames: 3);
        dataset.SetString(DicomTags.RescaleSlope, "5");
        dataset.SetString(DicomTags.RescaleIntercept, "7");
        var shared = Transformation("2", "-10");
        var frame1 = Transformation("1", "-1024");
        dataset.Add(new DicomSequence(DicomTags.SharedFunctionalGroupsSequence, new DicomDataset(shared)));
        dataset.Add(new DicomSequence(DicomTags.PerFrameFunctionalGroupsSequence, new DicomDataset(), new DicomDataset(frame1), new DicomDataset()));
        var pixels = TestImages.Open(dataset);
        Assert.Equal([190f, 390f], TestImages.Modality(pixels, 0));
        Assert.Equal([-924f, -824f], TestImages.Modality(pixels, 1));
        Assert.Equal(new DicomRescale(2, -10, "HU"), pixels.GetRescale(2));

        dataset.Remove(DicomTags.SharedFunctionalGroupsSequence);
        Assert.Equal([507f, 1007f], TestImages.Modality(TestImages.Open(dataset), 2));
    }

    [Fact]
    public void Voi_windows_map_like_the_standard_and_monochrome1_is_inverted()
    {
        // CT soft tissue: center 40, width 400 → -160 black, 240 white, 40 mid grey
        var dataset = TestImages.Image(1, 3, 16, 16, signed: true, TestImages.Words(unchecked((ushort)-160), 40, 240));
        dataset.SetString(DicomTags.WindowCenter, "40\\60");
        dataset.SetString(DicomTags.WindowWidth, "400\\800");
        var pixels = TestImages.Open(dataset);
        Assert.Equal(new DicomVoiWindow(40, 400), pixels.GetVoiWindow(0));
        var rgb = TestImages.Rgb(pixels);
        Assert.Equal(new byte[] { 0, 0, 0 }, rgb[..3]);
        Assert.InRange(rgb[3], 127, 128);
        Assert.Equal(new byte[] { 255, 255, 255 }, rgb[6..]);

        dataset.SetString(DicomTags.PhotometricInterpretation, "MONOCHROME1");
        var inverted = TestImages.Rgb(TestImages.Open(dataset));
        Assert.Equal(new byte[] { 255, 255, 255 }, inverted[..3]);
        Assert.Equal(new byte[] { 0, 0, 0 }, inverted[6..]);
    }

    [Fact]
    public void Without_a_declared_window_the_frame_range_is_shown()
    {
        var pixels = TestImages.Open(TestImages.Image(1, 3, 8, 8, signed: false, [10, 60, 110]));
        Assert.Null(pixels.GetVoiWindow(0));
        var rgb = TestImages.Rgb(pixels);
        Assert.Equal(0, rgb[0]);
        Assert.InRange(rgb[3], 127, 128);
        Assert.Equal(255, rgb[6]);
    }

    [Fact]
    public void Window_functions_follow_their_definitions()
    {
        var linear = new DicomVoiWindow(0.5, 2);
        Assert.Equal(0, linear.Apply(-0.5));
        Assert.Equal(0.5, linear.Apply(0), 6);
        Assert.Equal(1, linear.Apply(1));
        var exact = new DicomVoiWindow(100, 50, DicomVoiFunction.LinearExact);
        Assert.Equal(0, exact.Apply(75));
        Assert.Equal(0.5, exact.Apply(100), 6);
        Assert.Equal(1, exact.Apply(125));
        var sigmoid = new DicomVoiWindow(100, 50, DicomVoiFunction.Sigmoid);
        Assert.Equal(0.5, sigmoid.Apply(100), 6);
        Assert.True(sigmoid.Apply(150) > 0.98);

        float[] values = [75, 100, 125];
        var bytes = new byte[3];
        exact.Apply(values, bytes);
        Assert.Equal(new byte[] { 0, 128, 255 }, bytes);
    }

    [Fact]
    public void Palette_colour_maps_indices_through_the_tables_from_the_first_mapped_value()
    {
        var dataset = TestImages.Image(1, 3, 8, 8, signed: false, [9, 10, 12], "PALETTE COLOR");
        // three entries from index 10, 16-bit values
        foreach (var (descriptor, data, scale) in new[] { (0x00281101, 0x00281201, 1), (0x00281102, 0x00281202, 2), (0x00281103, 0x00281203, 3) })
        {
            dataset.SetValues(new DicomTag((uint)descriptor), DicomVR.US, (ushort)3, (ushort)10, (ushort)16);
            dataset.Add(new DicomValueElement(new DicomTag((uint)data), DicomVR.OW, TestImages.Words((ushort)(0x1000 * scale), (ushort)(0x2000 * scale), (ushort)(0x3000 * scale))));
        }

        var rgb = TestImages.Rgb(TestImages.Open(dataset));
        // index 9 is below the first mapped value (clamped to entry 0), 12 is the last entry
        Assert.Equal(new byte[] { 0x10, 0x20, 0x30, 0x10, 0x20, 0x30, 0x30, 0x60, 0x90 }, rgb);
    }

    [Fact]
    public void Segmented_palette_tables_expand_discrete_and_linear_segments()
    {
        var dataset = TestImages.Image(1, 5, 8, 8, signed: false, [0, 1, 2, 3, 4], "PALETTE COLOR");
        foreach (var (descriptor, segmented) in new[] { (0x00281101, 0x00281221), (0x00281102, 0x00281222), (0x00281103, 0x00281223) })
        {
            dataset.SetValues(new DicomTag((uint)descriptor), DicomVR.US, (ushort)5, (ushort)0, (ushort)8);
            // discrete [0], then linear to 200 over 4 entries: 0 50 100 150 200
            dataset.Add(new DicomValueElement(new DicomTag((uint)segmented), DicomVR.OW, TestImages.Words(0, 1, 0, 1, 4, 200)));
        }

        var rgb = TestImages.Rgb(TestImages.Open(dataset));
        Assert.Equal(new byte[] { 0, 50, 100, 150, 200 }, rgb.Where((_, i) => i % 3 == 0).ToArray());
    }

    [Fact]
    public void Big_endian_files_read_the_same_values_in_memory_and_lazily()
    {
        var dataset = TestImages.Image(2, 2, 16, 16, signed: true, TestImages.Words(1, 0xFFFF, 0x1234, 0x8000));
        using var stream = new MemoryStream();
        new DicomFile(dataset).WriteTo(stream, new DicomWriteOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRBigEndian });
        var inMemory = DicomFile.FromBytes(stream.ToArray());
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian, inMemory.TransferSyntax);
        Assert.Equal([1, -1, 0x1234, -32768], TestImages.Stored(DicomPixelData.Open(inMemory)));

        var path = Path.Combine(Path.GetTempPath(), $"be-{Guid.NewGuid():N}.dcm");
        try
        {
            File.WriteAllBytes(path, stream.ToArray());
            var lazy = DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = 4 });
            Assert.True(((DicomValueElement)lazy.Dataset[DicomTags.PixelData]!).IsLazy);
            Assert.Equal([1, -1, 0x1234, -32768], TestImages.Stored(DicomPixelData.Open(lazy)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Frames_of_a_lazily_kept_value_are_read_one_by_one()
    {
        var data = new byte[4 * 3];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i * 10);
        }

        var path = Path.Combine(Path.GetTempPath(), $"frames-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(TestImages.Image(2, 2, 8, 8, signed: false, data, frames: 3)).Save(path);
            var pixels = DicomPixelData.Open(DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = 4 }));
            Assert.Equal([80, 90, 100, 110], TestImages.Stored(pixels, 2));
            Assert.Equal([0, 10, 20, 30], TestImages.Stored(pixels, 0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_geometry_and_short_pixel_data_give_the_typed_error()
    {
        var shortData = TestImages.Open(TestImages.Image(4, 4, 16, 16, signed: false, new byte[20]));
        var error = Assert.Throws<DicomPixelDataException>(() => TestImages.Stored(shortData));
        Assert.Contains("frame 0", error.Message, StringComparison.Ordinal);

        var dataset = TestImages.Image(2, 2, 12, 12, signed: false, new byte[8]);
        Assert.Throws<DicomPixelDataException>(() => TestImages.Open(dataset));
        dataset.Remove(DicomTags.Rows);
        Assert.Throws<DicomPixelDataException>(() => TestImages.Open(dataset));

        var pixels = TestImages.Open(TestImages.Image(1, 1, 8, 8, signed: false, [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestImages.Stored(pixels, 1));
        Assert.Throws<ArgumentException>(() => pixels.ReadModalityFrame(0, Span<float>.Empty));
    }

    [Fact]
    public void A_number_of_frames_the_pixel_data_cannot_hold_is_refused_before_anything_is_sized_by_it()
    {
        // four 2×2 8-bit frames in 16 bytes; the third frame starts at byte 8, the fifth would at 16
        var dataset = TestImages.Image(2, 2, 8, 8, signed: false, new byte[16], frames: 4);
        Assert.Equal(4, TestImages.Open(dataset).FrameCount);
        dataset.SetString(DicomTags.NumberOfFrames, "2000000000");
        var error = Assert.Throws<DicomPixelDataException>(() => TestImages.Open(dataset));
        Assert.Contains("Number of Frames is 2000000000", error.Message, StringComparison.Ordinal);

        // 1-bit frames start mid-byte: 3×3 frames, the second at bit 9 of a 2-byte value
        var bits = TestImages.Image(3, 3, 1, 1, signed: false, new byte[2], frames: 2);
        Assert.Equal(2, TestImages.Open(bits).FrameCount);
        bits.SetString(DicomTags.NumberOfFrames, "3");
        Assert.Throws<DicomPixelDataException>(() => TestImages.Open(bits));
    }

    [Fact]
    public void Voi_windows_come_from_the_frame_then_the_shared_functional_group_then_the_top_level_and_apply_to_modality_values()
    {
        // stored 0 and 100 with slope 2 intercept -100: modality -100 and 100
        var dataset = TestImages.Image(1, 2, 16, 16, signed: false, TestImages.Words(0, 100, 0, 100, 0, 100), frames: 3);
        dataset.SetString(DicomTags.RescaleSlope, "2");
        dataset.SetString(DicomTags.RescaleIntercept, "-100");
        dataset.SetString(DicomTags.WindowCenter, "1000");
        dataset.SetString(DicomTags.WindowWidth, "10");
        var shared = FrameVoi("0", "201", "LINEAR_EXACT");
        var frame1 = FrameVoi("100", "2", "LINEAR");
        dataset.Add(new DicomSequence(DicomTags.SharedFunctionalGroupsSequence, new DicomDataset(shared)));
        dataset.Add(new DicomSequence(DicomTags.PerFrameFunctionalGroupsSequence, new DicomDataset(), new DicomDataset(frame1), new DicomDataset()));
        var pixels = TestImages.Open(dataset);

        Assert.Equal(new DicomVoiWindow(0, 201, DicomVoiFunction.LinearExact), pixels.GetVoiWindow(0));
        Assert.Equal(new DicomVoiWindow(100, 2), pixels.GetVoiWindow(1));
        Assert.Equal(new byte[] { 1, 1, 1, 254, 254, 254 }, TestImages.Rgb(pixels, 0)); // -100 and 100 just inside the exact window
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, TestImages.Rgb(pixels, 1)); // below 99, above 100

        dataset.Remove(DicomTags.SharedFunctionalGroupsSequence);
        dataset.Remove(DicomTags.PerFrameFunctionalGroupsSequence);
        var topLevel = TestImages.Open(dataset);
        Assert.Equal(new DicomVoiWindow(1000, 10), topLevel.GetVoiWindow(2));
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0 }, TestImages.Rgb(topLevel, 2));
        Assert.Equal(new byte[] { 0, 0, 0, 255, 255, 255 }, TestImages.Rgb(topLevel, 2, new DicomVoiWindow(0, 200))); // the caller's window wins
    }

    private static DicomSequence FrameVoi(string center, string width, string function)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.WindowCenter, center);
        item.SetString(DicomTags.WindowWidth, width);
        item.SetString(DicomTags.VOILUTFunction, function);
        return new DicomSequence(DicomTags.FrameVOILUTSequence, item);
    }

    private static DicomSequence Transformation(string slope, string intercept)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.RescaleSlope, slope);
        item.SetString(DicomTags.RescaleIntercept, intercept);
        item.SetString(DicomTags.RescaleType, "HU");
        return new DicomSequence(DicomTags.PixelValueTransformationSequence, item);
    }
}
