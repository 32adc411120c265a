using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Profile;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public class ConfidentialityProfileTests
{
    [Fact]
    public void Table_has_every_row_of_the_2024b_edition_plus_the_two_newer_rows()
    {
        // 621 rows in 2024b: 620 keyed by tag or mask, 1 private row; plus (0010,2161) and (300A,0054).
        Assert.Equal(622, ConfidentialityProfile.Rows.Count);
        Assert.Equal("2024b", ConfidentialityProfile.Edition);
        Assert.Equal(ConfidentialityProfile.Rows.Count, ConfidentialityProfile.Rows.Select(r => (r.Tag, r.Mask)).Distinct().Count());
    }

    [Theory]
    [InlineData(0x00100010u, ProfileAction.Zero, DeidentificationOptions.None, DeidentificationOptions.None)]
    [InlineData(0x00100020u, ProfileAction.ZeroOrDummy, DeidentificationOptions.None, DeidentificationOptions.None)]
    [InlineData(0x0020000Du, ProfileAction.ReplaceUid, DeidentificationOptions.RetainUids, DeidentificationOptions.None)]
    [InlineData(0x00080020u, ProfileAction.Zero, DeidentificationOptions.RetainLongitudinalFullDates, DeidentificationOptions.RetainLongitudinalModifiedDates)]
    [InlineData(0x00101010u, ProfileAction.Remove, DeidentificationOptions.RetainPatientCharacteristics, DeidentificationOptions.None)]
    [InlineData(0x00181000u, ProfileAction.RemoveOrZeroOrDummy, DeidentificationOptions.RetainDeviceIdentity, DeidentificationOptions.None)]
    [InlineData(0x00080080u, ProfileAction.RemoveOrZeroOrDummy, DeidentificationOptions.RetainInstitutionIdentity, DeidentificationOptions.None)]
    [InlineData(0x00082112u, ProfileAction.RemoveOrZeroOrReplaceUids, DeidentificationOptions.RetainUids, DeidentificationOptions.None)]
    [InlineData(0x00102161u, ProfileAction.Remove, DeidentificationOptions.RetainPatientCharacteristics, DeidentificationOptions.None)]
    [InlineData(0x300A0054u, ProfileAction.ReplaceUid, DeidentificationOptions.RetainUids, DeidentificationOptions.None)]
    [InlineData(0x0040A730u, ProfileAction.Dummy, DeidentificationOptions.None, DeidentificationOptions.CleanStructuredContent)]
    [InlineData(0x00081030u, ProfileAction.Remove, DeidentificationOptions.None, DeidentificationOptions.CleanDescriptors)]
    public void Spot_checks_match_the_standard(uint tag, ProfileAction basic, DeidentificationOptions keep, DeidentificationOptions clean)
    {
        Assert.True(ConfidentialityProfile.TryFind(tag, out var row));
        Assert.Equal(basic, row.BasicAction);
        Assert.Equal(keep, row.KeepUnder);
        Assert.Equal(clean, row.CleanUnder);
    }

    [Theory]
    [InlineData(0x50000010u, "Curve Data")]
    [InlineData(0x501E3000u, "Curve Data")]
    [InlineData(0x60003000u, "Overlay Data")]
    [InlineData(0x601E3000u, "Overlay Data")]
    [InlineData(0x60024000u, "Overlay Comments")]
    [InlineData(0x00291010u, "Private Attributes")]
    [InlineData(0x00090010u, "Private Attributes")]
    public void Masked_rows_cover_their_repeating_groups(uint tag, string name)
    {
        Assert.True(ConfidentialityProfile.TryFind(tag, out var row));
        Assert.Equal(name, row.Name);
    }

    [Theory]
    [InlineData(0x60000010u)] // Overlay Rows: not in the table, kept
    [InlineData(0x00080016u)] // SOP Class UID
    [InlineData(0x7FE00010u)] // Pixel Data
    [InlineData(0x00280010u)]
    public void Attributes_the_table_does_not_list_are_not_found(uint tag) =>
        Assert.False(ConfidentialityProfile.TryFind(tag, out _));

    [Fact]
    public void An_options_clean_wins_over_an_options_keep_and_both_over_the_basic_action()
    {
        Assert.True(ConfidentialityProfile.TryFind(0x00080020, out var studyDate));
        Assert.Equal(ProfileAction.Zero, studyDate.ActionFor(DeidentificationOptions.None));
        Assert.Equal(ProfileAction.Keep, studyDate.ActionFor(DeidentificationOptions.RetainLongitudinalFullDates));
        Assert.Equal(ProfileAction.Clean, studyDate.ActionFor(DeidentificationOptions.RetainLongitudinalModifiedDates));
        Assert.Equal(ProfileAction.Zero, studyDate.ActionFor(DeidentificationOptions.RetainUids));
    }

    [Fact]
    public void Every_basic_action_and_option_column_count_matches_the_standard()
    {
        var rows = ConfidentialityProfile.Rows.Append(ConfidentialityProfile.PrivateAttributes).ToList();
        int Count(ProfileAction a) => rows.Count(r => r.BasicAction == a);

        // 2024b distribution (X 384, D 92, U 54, Z 42, X/D 22, X/Z 11, X/Z/D 8, Z/D 6, X/Z/U* 2) plus the two newer rows (X, U).
        Assert.Equal(385, Count(ProfileAction.Remove));
        Assert.Equal(92, Count(ProfileAction.Dummy));
        Assert.Equal(55, Count(ProfileAction.ReplaceUid));
        Assert.Equal(42, Count(ProfileAction.Zero));
        Assert.Equal(22, Count(ProfileAction.RemoveOrDummy));
        Assert.Equal(11, Count(ProfileAction.RemoveOrZero));
        Assert.Equal(8, Count(ProfileAction.RemoveOrZeroOrDummy));
        Assert.Equal(6, Count(ProfileAction.ZeroOrDummy));
        Assert.Equal(2, Count(ProfileAction.RemoveOrZeroOrReplaceUids));
        Assert.Equal(165, rows.Count(r => (r.KeepUnder & DeidentificationOptions.RetainLongitudinalFullDates) != 0));
        Assert.Equal(165, rows.Count(r => (r.CleanUnder & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0));
        Assert.Equal(125, rows.Count(r => (r.CleanUnder & DeidentificationOptions.CleanDescriptors) != 0));
        Assert.Equal(60, rows.Count(r => (r.KeepUnder & DeidentificationOptions.RetainUids) != 0));
        Assert.Equal(10, rows.Count(r => (r.KeepUnder & DeidentificationOptions.RetainPatientCharacteristics) != 0));
    }

    [Fact]
    public void Method_codes_follow_cid_7050()
    {
        var codes = DeidentificationMethodCode.For(
            DeidentificationOptions.RetainUids | DeidentificationOptions.RetainLongitudinalModifiedDates, pixelsCleaned: true);
        Assert.Equal(["113100", "113101", "113107", "113110"], codes.Select(c => c.Value));
        Assert.Equal("Basic Application Confidentiality Profile", codes[0].Meaning);
        Assert.Equal("Retain UIDs Option", codes[^1].Meaning);
        Assert.Equal(11, DeidentificationMethodCode.For((DeidentificationOptions)0x3FF).Count);
    }
}
