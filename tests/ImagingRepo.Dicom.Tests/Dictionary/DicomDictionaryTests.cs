using ImagingRepo.Dicom.DataDictionary;

namespace ImagingRepo.Dicom.Tests.Dictionary;

public sealed class DicomDictionaryTests
{
    [Theory]
    [InlineData(0x00100010u, "PatientName", DicomVR.PN, "1")]
    [InlineData(0x7FE00010u, "PixelData", DicomVR.OB, "1")]
    [InlineData(0x00280106u, "SmallestImagePixelValue", DicomVR.US, "1")]
    [InlineData(0x52009230u, "PerFrameFunctionalGroupsSequence", DicomVR.SQ, "1")]
    [InlineData(0x00020010u, "TransferSyntaxUID", DicomVR.UI, "1")]
    public void Known_tags_have_their_keyword_vr_and_vm(uint tag, string keyword, DicomVR vr, string vm)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vr, entry.VR);
        Assert.Equal(vm, entry.ValueMultiplicity);
        Assert.Equal(keyword, DicomDictionary.GetKeyword(new DicomTag(tag)));
        Assert.True(DicomDictionary.TryGetTag(keyword, out var found));
        Assert.Equal(tag, found.Value);
    }

    [Fact]
    public void Choice_vrs_are_listed()
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x00280106), out var entry));
        Assert.Equal([DicomVR.SS], entry.AlternativeVRs);
        Assert.True(DicomDictionary.TryGetEntry(DicomTags.PixelData, out var pixel));
        Assert.Equal([DicomVR.OW], pixel.AlternativeVRs);
    }

    [Theory]
    [InlineData(0x60003000u, "OverlayData")]
    [InlineData(0x60223000u, "OverlayData")]
    [InlineData(0x50020005u, "CurveDimensions")]
    [InlineData(0x60000010u, "OverlayRows")]
    public void Repeating_groups_match_by_mask(uint tag, string keyword)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
    }

    [Fact]
    public void Private_tags_are_not_in_the_dictionary_but_creators_are_LO()
    {
        Assert.False(DicomDictionary.TryGetEntry(new DicomTag(0x00091001), out _));
        Assert.Equal(DicomVR.LO, DicomDictionary.GetVR(new DicomTag(0x00090010)));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetVR(new DicomTag(0x00091001)));
        Assert.Equal(DicomVR.UL, DicomDictionary.GetVR(new DicomTag(0x00180000)));
    }

    [Fact]
    public void Retired_entries_are_marked()
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x00080001), out var entry));
        Assert.True(entry.IsRetired);
    }

    [Theory]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("0010,0010", 0x00100010u)]
    [InlineData("7FE00010", 0x7FE00010u)]
    [InlineData("PatientID", 0x00100020u)]
    public void Tags_parse_from_text_and_keywords(string text, uint expected)
    {
        Assert.True(DicomTag.TryParse(text, out var tag));
        Assert.Equal(expected, tag.Value);
        Assert.Equal($"({expected >> 16:X4},{expected & 0xFFFF:X4})", tag.ToString());
    }

    [Fact]
    public void Private_tag_facts()
    {
        var tag = new DicomTag(0x00191005);
        Assert.True(tag.IsPrivate);
        Assert.False(tag.IsPrivateCreator);
        Assert.Equal(new DicomTag(0x00190010), tag.PrivateCreatorTag);
        Assert.True(new DicomTag(0x00190010).IsPrivateCreator);
        Assert.False(DicomTags.PatientName.IsPrivate);
    }

    [Fact]
    public void Uid_registry_names_transfer_syntaxes_and_sop_classes()
    {
        Assert.True(DicomUid.TryGetRegistered("1.2.840.10008.1.2.4.90", out var j2k));
        Assert.Equal(DicomUidType.TransferSyntax, j2k.Type);
        Assert.True(DicomUid.TryGetRegistered("1.2.840.10008.5.1.4.1.1.2\0", out var ct));
        Assert.Equal("CT Image Storage", ct.Name);
        Assert.Equal(DicomUidType.SopClass, ct.Type);
        Assert.True(DicomTransferSyntax.FromUid("1.2.840.10008.1.2.4.90").IsEncapsulated);
        Assert.True(DicomTransferSyntax.FromUid("1.2.840.10008.1.2.1.99").IsDeflated);
        Assert.True(DicomUid.IsValid("1.2.840.10008.1.2"));
        Assert.False(DicomUid.IsValid("1.02.3"));
        Assert.False(DicomUid.IsValid("1..2"));
    }

    [Theory]
    [InlineData(DicomVR.OB, true, (byte)0)]
    [InlineData(DicomVR.UT, true, (byte)' ')]
    [InlineData(DicomVR.UI, false, (byte)0)]
    [InlineData(DicomVR.LO, false, (byte)' ')]
    [InlineData(DicomVR.SV, true, (byte)0)]
    public void Vr_facts(DicomVR vr, bool longLength, byte padding)
    {
        Assert.Equal(longLength, vr.HasLongLength());
        Assert.Equal(padding, vr.PaddingByte());
        Assert.True(vr.IsKnown());
    }
}
