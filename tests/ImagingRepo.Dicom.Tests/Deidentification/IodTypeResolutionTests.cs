using ImagingRepo.Dicom.DataDictionary;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Profile;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>Composite actions (X/Z, X/D, Z/D, X/Z/D, X/Z/U*) resolved by the attribute's Type in the instance's IOD.</summary>
public class IodTypeResolutionTests
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private const string EnhancedMr = "1.2.840.10008.5.1.4.1.1.4.1";
    private const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";
    private const string RtPlan = "1.2.840.10008.5.1.4.1.1.481.5";
    private const string PrivateClass = "1.2.826.0.1.3680043.2.1125.99.1";
    private static readonly DeidentificationEngine Engine = new(new DeidentificationKey(Enumerable.Repeat((byte)0x42, 32).ToArray()));

    public enum Outcome
    {
        Removed,
        Empty,
        Dummy,
        UidsReplaced,
    }

    [Theory]
    [InlineData(Ct, 0x00081110u, Outcome.Removed)]           // X/Z, General Study Type 3: no empty sequence left behind
    [InlineData(Ct, 0x00080080u, Outcome.Removed)]           // X/Z/D, General Equipment Type 3
    [InlineData(Ct, 0x00081140u, Outcome.Removed)]           // X/Z/U*, General Reference Type 3
    [InlineData(Ct, 0x00080021u, Outcome.Removed)]           // X/D, General Series Type 3
    [InlineData(Ct, 0x00080022u, Outcome.Removed)]           // X/Z, Acquisition Date Type 3
    [InlineData(Ct, 0x00080023u, Outcome.Empty)]             // Z/D, General Image Type 2C
    [InlineData(Ct, 0x00180010u, Outcome.Empty)]             // Z/D, Contrast/Bolus Type 2
    [InlineData(EnhancedMr, 0x00181000u, Outcome.Dummy)]     // X/Z/D, Enhanced General Equipment Type 1
    [InlineData(EnhancedMr, 0x00080023u, Outcome.Dummy)]     // Z/D, Multi-frame Functional Groups Type 1
    [InlineData(EnhancedMr, 0x00081111u, Outcome.UidsReplaced)] // X/Z/D, MR Series Type 1C (condition not evaluable: kept, a dummy item)
    [InlineData(ComprehensiveSr, 0x00080023u, Outcome.Dummy)] // Z/D, SR Document General Type 1
    [InlineData(ComprehensiveSr, 0x00081111u, Outcome.Empty)] // X/Z/D, SR Document Series Type 2
    [InlineData(RtPlan, 0x300A0006u, Outcome.Empty)]         // X/D, RT General Plan Type 2
    [InlineData(RtPlan, 0x00081070u, Outcome.Empty)]         // X/Z/D, RT Series Type 2
    [InlineData(PrivateClass, 0x00081110u, Outcome.Empty)]   // unknown IOD: X/Z as today, Z
    [InlineData(PrivateClass, 0x00080080u, Outcome.Dummy)]   // unknown IOD: X/Z/D as today, D
    [InlineData(PrivateClass, 0x00081140u, Outcome.UidsReplaced)] // unknown IOD: X/Z/U* as today, UIDs replaced
    [InlineData(Ct, 0x300A0006u, Outcome.Dummy)]             // not in the IOD: X/D as today, D
    public void A_composite_action_takes_the_letter_the_attribute_type_asks_for(string sopClass, uint tag, Outcome expected)
    {
        var dataset = Instance(sopClass);
        Plant(dataset, tag);
        Engine.DeidentifyDataset(dataset);
        Assert.Equal(expected, OutcomeOf(dataset, tag));
    }

    [Fact]
    public void A_type_3_reference_sequence_stays_while_the_common_instance_reference_module_describes_it()
    {
        // Referenced Series Sequence (1C) must go with the last reference, and the profile keeps it: so the
        // references stay too, their UIDs replaced
        var dataset = Instance(Ct);
        Plant(dataset, 0x00081140u);
        var series = new DicomDataset();
        series.SetString(new DicomTag(0x0020000E), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.5.9");
        dataset.Add(new DicomSequence(DicomTags.ReferencedSeriesSequence, series));
        Engine.DeidentifyDataset(dataset);
        Assert.Equal(Outcome.UidsReplaced, OutcomeOf(dataset, 0x00081140u));
    }

    [Fact]
    public void Nested_attributes_keep_the_type_free_resolution()
    {
        // the Types are those of the top level: in an item the IOD's module tables do not apply
        var dataset = Instance(Ct);
        var item = new DicomDataset();
        Plant(item, 0x00080080u);
        dataset.Add(new DicomSequence(new DicomTag(0x00081115), item));
        Engine.DeidentifyDataset(dataset);
        Assert.True(dataset.TryGetSequence(new DicomTag(0x00081115), out var sequence));
        Assert.Equal(Outcome.Dummy, OutcomeOf(sequence.Items[0], 0x00080080u));
    }

    [Theory]
    [InlineData(Ct, false, false)] // approval number removed by X: the 1C name has no condition left and goes
    [InlineData(Ct, true, true)]   // approval number kept by the policy: the name stays (a dummy)
    [InlineData(PrivateClass, false, true)] // unknown IOD: as today
    public void A_conditional_attribute_whose_condition_the_profile_removed_goes(string sopClass, bool keepApprovalNumber, bool namePresent)
    {
        var policy = keepApprovalNumber
            ? new DeidentificationPolicy { Overrides = [new AttributeOverride("(0012,0082)", OverrideAction.Keep)] }
            : DeidentificationPolicy.Default;
        var engine = new DeidentificationEngine(new DeidentificationKey(Enumerable.Repeat((byte)0x42, 32).ToArray()), policy);
        var dataset = Instance(sopClass);
        dataset.SetString(DicomTags.ClinicalTrialProtocolEthicsCommitteeName, DicomVR.LO, "ETHICS BOARD OF ST ELSEWHERE");
        dataset.SetString(DicomTags.ClinicalTrialProtocolEthicsCommitteeApprovalNumber, DicomVR.LO, "EC-2024-17");
        engine.DeidentifyDataset(dataset);
        Assert.Equal(namePresent, dataset.Contains(DicomTags.ClinicalTrialProtocolEthicsCommitteeName));
        if (namePresent)
        {
            Assert.Equal("DEIDENTIFIED", dataset.GetString(DicomTags.ClinicalTrialProtocolEthicsCommitteeName)?.Trim());
        }
    }

    [Fact]
    public void Every_storage_class_of_the_table_resolves_and_an_unknown_one_does_not()
    {
        Assert.NotNull(IodAttributeTypes.For(Ct));
        Assert.NotNull(IodAttributeTypes.For(Ct + "\0"));
        Assert.Null(IodAttributeTypes.For(PrivateClass));
        Assert.Null(IodAttributeTypes.For(null));
        Assert.Equal(AttributeType.Type3, IodAttributeTypes.For(Ct)!.TypeOf(0x00081110));
        Assert.Equal(AttributeType.Type1, IodAttributeTypes.For(EnhancedMr)!.TypeOf(0x00181000));
        Assert.Equal(AttributeType.Unknown, IodAttributeTypes.For(Ct)!.TypeOf(0x300A0006));
    }

    private static DicomDataset Instance(string sopClass)
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        dataset.SetString(new DicomTag(0x00080018), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.5.1");
        dataset.SetString(DicomTags.PatientID, DicomVR.LO, "PID-1");
        return dataset;
    }

    private static void Plant(DicomDataset dataset, uint tag)
    {
        var vr = DicomDictionary.GetVR(new DicomTag(tag));
        if (vr == DicomVR.SQ)
        {
            var item = new DicomDataset();
            item.SetString(new DicomTag(0x00081150), DicomVR.UI, "1.2.840.10008.3.1.2.3.1");
            item.SetString(new DicomTag(0x00081155), DicomVR.UI, "1.2.826.0.1.3680043.2.1125.5.77");
            dataset.Add(new DicomSequence(new DicomTag(tag), item));
            return;
        }

        dataset.SetString(new DicomTag(tag), vr, vr switch
        {
            DicomVR.DA => "20240105",
            DicomVR.TM => "101500",
            DicomVR.PN => "OPERATOR^ONE",
            _ => "PLANTED VALUE",
        });
    }

    private static Outcome? OutcomeOf(DicomDataset dataset, uint tag)
    {
        if (!dataset.TryGetElement(new DicomTag(tag), out var element))
        {
            return Outcome.Removed;
        }

        if (element is DicomSequence sequence)
        {
            if (sequence.Items.Count == 0)
            {
                return Outcome.Empty;
            }

            var uid = sequence.Items[0].GetString(new DicomTag(0x00081155))?.Trim('\0', ' ');
            return uid is not null && uid.StartsWith("2.25.", StringComparison.Ordinal) ? Outcome.UidsReplaced : null;
        }

        var text = dataset.GetString(new DicomTag(tag))?.Trim('\0', ' ') ?? "";
        return text.Length == 0 ? Outcome.Empty
            : text is "DEIDENTIFIED" or "DEIDENTIFIED^DEIDENTIFIED" or "19000101" or "000000" ? Outcome.Dummy
            : null;
    }
}
