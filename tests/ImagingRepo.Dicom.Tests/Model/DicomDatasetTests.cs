namespace ImagingRepo.Dicom.Tests.Model;

public sealed class DicomDatasetTests
{
    [Fact]
    public void Typed_getters_parse_text_vrs()
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        d.SetString(DicomTags.StudyDate, "20240315");
        d.SetString(DicomTags.StudyTime, "101530.123456");
        d.SetString(DicomTags.AcquisitionDateTime, "20240315101530.5+0100");
        d.SetString(DicomTags.PixelSpacing, "0.5\\0.25 ");
        d.SetString(DicomTags.InstanceNumber, " 42 ");
        d.SetString(DicomTags.PatientName, "Doe^John^Q^Dr^Jr=ドウ^ジョン");
        d.SetString(DicomTags.ImageType, "ORIGINAL\\PRIMARY\\AXIAL");

        Assert.True(d.TryGetDate(DicomTags.StudyDate, out var date));
        Assert.Equal(new DateOnly(2024, 3, 15), date);
        Assert.True(d.TryGetTime(DicomTags.StudyTime, out var time));
        Assert.Equal(new TimeOnly(10, 15, 30).Add(TimeSpan.FromTicks(1234560)), time);
        Assert.True(d.TryGetDateTime(DicomTags.AcquisitionDateTime, out var dateTime));
        Assert.Equal(new DateTimeOffset(2024, 3, 15, 10, 15, 30, 500, TimeSpan.FromHours(1)), dateTime);
        Assert.True(d.TryGetDouble(DicomTags.PixelSpacing, 1, out var spacing));
        Assert.Equal(0.25, spacing);
        Assert.True(d.TryGetDecimal(DicomTags.PixelSpacing, 0, out var exact));
        Assert.Equal(0.5m, exact);
        Assert.True(d.TryGetInt32(DicomTags.InstanceNumber, out var number));
        Assert.Equal(42, number);
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], d.GetStrings(DicomTags.ImageType));
        Assert.True(d.TryGetPersonName(DicomTags.PatientName, out var name));
        Assert.Equal("Doe", name.Alphabetic.FamilyName);
        Assert.Equal("Jr", name.Alphabetic.Suffix);
        Assert.Equal("ドウ", name.Ideographic.FamilyName);
    }

    [Fact]
    public void Text_outside_the_character_set_is_rejected_until_utf8_is_set()
    {
        var d = new DicomDataset();
        Assert.Throws<DicomException>(() => d.SetString(DicomTags.PatientName, "Müller"));
        d.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        d.SetString(DicomTags.PatientName, "Müller^Jürgen");
        Assert.Equal("Müller^Jürgen", d.GetString(DicomTags.PatientName));
        Assert.Equal(16, ((DicomValueElement)d[DicomTags.PatientName]!).Length); // 15 UTF-8 bytes, padded to even length
    }

    [Theory]
    [InlineData("20240101-20241231", 2024, 1, 1, 2024, 12, 31)]
    [InlineData("-20241231", 0, 0, 0, 2024, 12, 31)]
    [InlineData("20240101-", 2024, 1, 1, 0, 0, 0)]
    public void Date_ranges(string text, int y1, int m1, int d1, int y2, int m2, int d2)
    {
        Assert.True(DicomValueParser.TryParseDateRange(text, out var from, out var to));
        Assert.Equal(y1 == 0 ? null : new DateOnly(y1, m1, d1), from);
        Assert.Equal(y2 == 0 ? null : new DateOnly(y2, m2, d2), to);
    }

    [Theory]
    [InlineData("2024")]
    [InlineData("202403")]
    [InlineData("20240315")]
    [InlineData("2024031510")]
    [InlineData("20240315101530.123-0500")]
    public void Partial_datetimes_parse(string text) => Assert.True(DicomValueParser.TryParseDateTime(text, TimeSpan.Zero, out _));

    [Theory]
    [InlineData("20241301")]
    [InlineData("2024021")]
    [InlineData("abc")]
    public void Invalid_dates_do_not_parse(string text) => Assert.False(DicomValueParser.TryParseDate(text, out _));

    [Fact]
    public void Elements_stay_in_tag_order_and_replace_by_tag()
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.PatientID, "B");
        d.SetString(DicomTags.Modality, "CT");
        d.SetString(DicomTags.PatientID, "A");
        Assert.Equal([DicomTags.Modality, DicomTags.PatientID], d.Select(e => e.Tag));
        Assert.Equal("A", d.GetString(DicomTags.PatientID));
        Assert.True(d.Remove(DicomTags.Modality));
        Assert.False(d.Contains(DicomTags.Modality));
    }

    [Fact]
    public void Items_inherit_the_character_set_of_their_parent()
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        var item = new DicomDataset();
        d.Add(new DicomSequence(DicomTags.ReferencedImageSequence, item));
        Assert.Same(d.CharacterSet, item.CharacterSet);
        item.Add(new DicomValueElement(DicomTags.PatientName, DicomVR.PN, new byte[] { (byte)'J', 0xE9, (byte)'r', (byte)' ' }));
        Assert.Equal("Jér", item.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Items_added_later_also_inherit_the_character_set()
    {
        var d = new DicomDataset();
        d.SetString(DicomTags.SpecificCharacterSet, "ISO_IR 192");
        var sequence = new DicomSequence(DicomTags.ReferencedImageSequence);
        d.Add(sequence);
        var item = new DicomDataset();
        sequence.Items.Add(item);
        item.SetString(DicomTags.PatientName, "Łukasz");
        Assert.Same(d, item.Parent);
        Assert.Equal("Łukasz", item.GetString(DicomTags.PatientName));
        var clone = d.Clone();
        var clonedItem = ((DicomSequence)clone[DicomTags.ReferencedImageSequence]!).Items[0];
        Assert.Same(clone, clonedItem.Parent);
        Assert.Equal("Łukasz", clonedItem.GetString(DicomTags.PatientName));
    }

    [Fact]
    public void Binary_values_read_as_spans()
    {
        var d = new DicomDataset();
        d.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
        d.SetValues<double>(new DicomTag(0x00189087), DicomVR.FD, 1000.5);
        Assert.Equal(512, d.GetValues<ushort>(DicomTags.Rows)[0]);
        Assert.True(d.TryGetInt32(DicomTags.Rows, out var rows));
        Assert.Equal(512, rows);
        Assert.True(d.TryGetDouble(new DicomTag(0x00189087), out var b));
        Assert.Equal(1000.5, b);
    }
}
