using ImagingRepo.Dicom.DataDictionary;

namespace ImagingRepo.Dicom.Tests.Dictionary;

/// <summary>The generated private dictionary holds the facts of dcmtk's private.dic, looked up by creator, group and element byte.</summary>
public sealed class DicomPrivateDictionaryTests
{
    [Theory]
    [InlineData("GEMS_IDEN_01", 0x00091001u, "FullFidelity", "LO", "1")]
    [InlineData("GEMS_IDEN_01", 0x00091201u, "FullFidelity", "LO", "1")] // any block the creator reserves
    [InlineData("SIEMENS CSA HEADER", 0x00291010u, "CSAImageHeaderInfo", "OB", "1")]
    [InlineData("SIEMENS CSA HEADER", 0x00291008u, "CSAImageHeaderType", "CS", "1")]
    [InlineData("Philips Imaging DD 001", 0x2001105Fu, "StackSequence", "SQ", "1")]
    [InlineData("GEMS_PARM_01", 0x00431039u, "SlopInteger6ToSlopInteger9", "IS", "4")]
    [InlineData("TOSHIBA_MEC_CT_1.0", 0x7FF11001u, "Unknown", "US", "1-n")]
    [InlineData("PAPYRUS 3.0", 0x600310C0u, "UINOverlaySequence", "SQ", "1")]   // (6001-o-60ff,...): odd groups of the range
    [InlineData("PHILIPS MR/PART", 0x00211000u, "ReconstructionNumber", "IS", "1")] // (0021,...,1000): block 10 only
    [InlineData("PHILIPS MR/PART", 0x00211100u, "ScanDate", "DA", "1")]             // (0021,...,1100): block 11 only
    [InlineData("  GEMS_IDEN_01 ", 0x00091001u, "FullFidelity", "LO", "1")]         // padding is not part of the creator
    public void Known_entries_are_found(string creator, uint tag, string name, string vr, string vm)
    {
        Assert.True(DicomPrivateDictionary.TryGetEntry(creator, new DicomTag(tag), out var entry));
        Assert.Equal(name, entry.Name);
        Assert.Equal(Enum.Parse<DicomVR>(vr), entry.VR);
        Assert.Equal(vm, entry.ValueMultiplicity);
        Assert.Equal(creator.Trim(), entry.Creator);
        Assert.Equal((ushort)(tag >> 16), entry.Group);
        Assert.Equal((byte)tag, entry.Element);
    }

    [Theory]
    [InlineData("GEMS_IDEN_01", 0x00111001u)]      // another group
    [InlineData("gems_iden_01", 0x00091001u)]      // creators compare exactly
    [InlineData("NO SUCH CREATOR", 0x00091001u)]
    [InlineData("PAPYRUS 3.0", 0x600210C0u)]       // even group: not private
    [InlineData("PAPYRUS 3.0", 0x610110C0u)]       // odd group outside the range
    [InlineData("GEMS_IDEN_01", 0x00090010u)]      // a creator element, not a data element
    [InlineData("CMR42 CIRCLECVI", 0x00251110u)]   // (0025,...,1010) is fixed to block 10
    public void Unknown_elements_are_not_found(string creator, uint tag)
    {
        Assert.False(DicomPrivateDictionary.TryGetEntry(creator, new DicomTag(tag), out _));
    }

    [Fact]
    public void The_table_covers_the_common_vendors()
    {
        Assert.True(DicomPrivateDictionary.Count > 2500, $"{DicomPrivateDictionary.Count} entries");
        foreach (var creator in new[] { "GEMS_ACQU_01", "SIEMENS MR VA0  GEN", "PHILIPS MR/PART", "TOSHIBA_MEC_1.0", "AGFA", "ELSCINT1" })
        {
            Assert.True(DicomPrivateDictionary.CreatorIndex(System.Text.Encoding.ASCII.GetBytes(creator)) >= 0, creator);
        }
    }

    [Fact]
    public void A_dataset_lookup_uses_the_creator_of_the_block_in_that_dataset()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(new DicomTag(0x00090011), DicomVR.LO, "GEMS_IDEN_01"u8.ToArray()));
        dataset.Add(new DicomValueElement(new DicomTag(0x00091101), DicomVR.LO, "X "u8.ToArray()));

        Assert.True(DicomPrivateDictionary.TryGetEntry(dataset, new DicomTag(0x00091101), out var entry));
        Assert.Equal("FullFidelity", entry.Name);
        Assert.False(DicomPrivateDictionary.TryGetEntry(dataset, new DicomTag(0x00091001), out _)); // block 10 has no creator
    }
}
