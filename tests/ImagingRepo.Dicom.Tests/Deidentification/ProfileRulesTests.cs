using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Profile;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public class ProfileRulesTests
{
    [Theory]
    [InlineData(0x00080022u, (int)ElementActionKind.Zero)]       // X/Z Acquisition Date
    [InlineData(0x00080021u, (int)ElementActionKind.Dummy)]      // X/D Series Date
    [InlineData(0x00180010u, (int)ElementActionKind.Dummy)]      // Z/D Contrast/Bolus Agent
    [InlineData(0x00080080u, (int)ElementActionKind.Dummy)]      // X/Z/D Institution Name
    [InlineData(0x00081140u, (int)ElementActionKind.ReplaceUid)] // X/Z/U* Referenced Image Sequence
    [InlineData(0x00100020u, (int)ElementActionKind.PseudonymPatientId)]
    [InlineData(0x00100010u, (int)ElementActionKind.PseudonymPatientName)]
    [InlineData(0x00080016u, (int)ElementActionKind.Keep)]
    [InlineData(0x00091001u, (int)ElementActionKind.Remove)]
    [InlineData(0x50020010u, (int)ElementActionKind.Remove)]
    public void Composite_actions_of_unknown_type_resolve_so_a_present_attribute_stays_conformant(uint tag, int expected) =>
        Assert.Equal((ElementActionKind)expected, new ProfileRules(DeidentificationPolicy.Default).RuleFor(tag).Kind);

    [Fact]
    public void Options_change_the_resolved_rules()
    {
        var rules = new ProfileRules(new DeidentificationPolicy
        {
            Options = DeidentificationOptions.RetainSafePrivate | DeidentificationOptions.RetainUids | DeidentificationOptions.CleanGraphics,
        });
        Assert.Equal(ElementActionKind.Private, rules.RuleFor(0x00091001).Kind);
        Assert.Equal(ElementActionKind.Keep, rules.RuleFor(0x0020000D).Kind);
        Assert.Equal(ElementActionKind.Clean, rules.RuleFor(0x60003000).Kind);
    }

    [Fact]
    public void Policy_overrides_win_over_the_profile()
    {
        var rules = new ProfileRules(new DeidentificationPolicy
        {
            Overrides =
            [
                new AttributeOverride("(0008,1030)", OverrideAction.Keep),
                new AttributeOverride("00080016", OverrideAction.Remove),
                new AttributeOverride("(0012,0071)", OverrideAction.Replace, "BASELINE"),
            ],
        });
        Assert.Equal(ElementActionKind.Keep, rules.RuleFor(0x00081030).Kind);
        Assert.Equal(ElementActionKind.Remove, rules.RuleFor(0x00080016).Kind);
        Assert.Equal(new ElementRule(ElementActionKind.Replace, "BASELINE"), rules.RuleFor(0x00120071));
    }
}
