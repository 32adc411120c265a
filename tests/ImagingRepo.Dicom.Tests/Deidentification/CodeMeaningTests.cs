using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class CodeMeaningTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x5A, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-codes-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("99LOCAL", false)]
    [InlineData("L", false)]
    [InlineData("ACME", false)]
    [InlineData("ncit", false)] // designators are case-sensitive
    [InlineData(null, false)]
    [InlineData("DCM", true)]
    [InlineData("SCT", true)]
    [InlineData("SRT", true)]
    [InlineData("NCIt", true)]
    [InlineData("99SDM", true)] // the SNOMED DICOM microglossary: a 99 prefix, yet listed by PS3.16
    public void Code_meanings_of_standard_schemes_are_kept_and_others_become_their_code_value(string? scheme, bool kept)
    {
        var dataset = Report(scheme, "Dr Jones oncology clinic");
        new DeidentificationEngine(Key).DeidentifyDataset(dataset);

        Assert.Equal(kept ? "Dr Jones oncology clinic" : "C-1", Meaning(dataset, nested: false));
        Assert.Equal(kept ? "Dr Jones oncology clinic" : "C-1", Meaning(dataset, nested: true));
        Assert.Equal("C-1", Code(dataset).GetString(DicomTags.CodeValue));
    }

    [Fact]
    public void The_policy_keeps_private_meanings_chooses_the_replacement_and_the_standard_schemes()
    {
        var keep = Report("99LOCAL", "Dr Jones oncology clinic");
        new DeidentificationEngine(Key, new DeidentificationPolicy { CodeMeanings = new CodeMeaningPolicy { KeepPrivate = true } }).DeidentifyDataset(keep);
        Assert.Equal("Dr Jones oncology clinic", Meaning(keep, nested: true));

        var replaced = Report("99LOCAL", "Dr Jones oncology clinic");
        new DeidentificationEngine(Key, new DeidentificationPolicy { CodeMeanings = new CodeMeaningPolicy { Replacement = "LOCAL CODE" } })
            .DeidentifyDataset(replaced);
        Assert.Equal("LOCAL CODE", Meaning(replaced, nested: true));

        var ownList = new DeidentificationPolicy { CodeMeanings = new CodeMeaningPolicy { StandardSchemes = ["99LOCAL"] } };
        var local = Report("99LOCAL", "Reviewed");
        var dcm = Report("DCM", "Reviewed");
        var engine = new DeidentificationEngine(Key, ownList);
        engine.DeidentifyDataset(local);
        engine.DeidentifyDataset(dcm);
        Assert.Equal("Reviewed", Meaning(local, nested: true));
        Assert.Equal("C-1", Meaning(dcm, nested: true));

        // an override of Code Meaning is the project's word on every meaning
        var overridden = Report("99LOCAL", "Reviewed");
        new DeidentificationEngine(Key, new DeidentificationPolicy { Overrides = [new AttributeOverride("(0008,0104)", OverrideAction.Keep)] })
            .DeidentifyDataset(overridden);
        Assert.Equal("Reviewed", Meaning(overridden, nested: true));
    }

    [Fact]
    public void Without_a_code_value_the_long_or_urn_code_value_replaces_the_meaning_cut_to_64_characters()
    {
        var dataset = Report("99LOCAL", "Dr Jones");
        var code = Code(dataset);
        code.Remove(DicomTags.CodeValue);
        code.SetString(DicomTags.LongCodeValue, DicomVR.UC, new string('A', 70));
        new DeidentificationEngine(Key).DeidentifyDataset(dataset);
        Assert.Equal(new string('A', 64), Code(dataset).GetString(DicomTags.CodeMeaning));

        var bare = Report("99LOCAL", "Dr Jones");
        Code(bare).Remove(DicomTags.CodeValue);
        new DeidentificationEngine(Key).DeidentifyDataset(bare);
        Assert.Equal("DEIDENTIFIED", Code(bare).GetString(DicomTags.CodeMeaning));
    }

    [Fact]
    public void The_receipt_records_the_replaced_meanings_as_cleaned()
    {
        var input = Path.Combine(_root, "sr.dcm");
        var file = new DicomFile(Report("99LOCAL", "Dr Jones"), DicomTransferSyntax.ExplicitVRLittleEndian);
        file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, ComprehensiveSr);
        file.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        file.Save(input);

        var result = new DeidentificationEngine(Key).DeidentifyFile(input, Path.Combine(_root, "out"));

        Assert.Equal(DeidentificationStatus.Deidentified, result.Status);
        Assert.Contains("(0008,0104)", result.Receipt!.Tags["C"]);
        Assert.Equal("C-1", Meaning(DicomFile.Open(result.OutputPath!).Dataset, nested: false));
    }

    [Theory]
    [InlineData("""{ "codeMeanings": { "replacement": "A\\B" } }""", "codeMeanings.replacement")]
    [InlineData("""{ "codeMeanings": { "replacement": "" } }""", "codeMeanings.replacement")]
    [InlineData("""{ "codeMeanings": { "standardSchemes": ["DCM", " "] } }""", "codeMeanings.standardSchemes[1]")]
    [InlineData("""{ "codeMeanings": { "keepPrivat": true } }""", "keepPrivat")]
    public void Invalid_code_meaning_policies_say_what(string json, string expected)
    {
        var e = Assert.Throws<DeidentificationPolicyException>(() => DeidentificationPolicy.Parse(json, "p.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_code_meaning_policy_parses_with_defaults_for_what_it_leaves_out()
    {
        var policy = DeidentificationPolicy.Parse("""{ "codeMeanings": { "replacement": "LOCAL CODE" } }""");
        Assert.False(policy.CodeMeanings.KeepPrivate);
        Assert.Equal("LOCAL CODE", policy.CodeMeanings.Replacement);
        Assert.Equal(CodeMeaningPolicy.DefaultStandardSchemes, policy.CodeMeanings.StandardSchemes);
        Assert.True(DeidentificationPolicy.Parse("""{ "codeMeanings": { "keepPrivate": true } }""").CodeMeanings.KeepPrivate);
        Assert.Equal(["DCM"], DeidentificationPolicy.Parse("""{ "codeMeanings": { "standardSchemes": ["DCM"] } }""").CodeMeanings.StandardSchemes);
        Assert.Equal("LOCAL CODE", DeidentificationPolicy.Parse(policy.ToJson()).CodeMeanings.Replacement);
    }

    private const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";

    /// <summary>An SR whose document title and a content item's concept name are codes of <paramref name="scheme"/>.</summary>
    private static DicomDataset Report(string? scheme, string meaning)
    {
        DicomDataset CodeItem()
        {
            var code = new DicomDataset();
            code.SetString(DicomTags.CodeValue, DicomVR.SH, "C-1");
            if (scheme is not null)
            {
                code.SetString(DicomTags.CodingSchemeDesignator, DicomVR.SH, scheme);
            }

            code.SetString(DicomTags.CodeMeaning, DicomVR.LO, meaning);
            return code;
        }

        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, ComprehensiveSr);
        dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        dataset.SetString(DicomTags.PatientID, DicomVR.LO, "P1");
        dataset.Add(new DicomSequence(new DicomTag(0x0040A043), CodeItem()));
        var content = new DicomDataset();
        content.SetString(new DicomTag(0x0040A040), DicomVR.CS, "CONTAINER");
        content.Add(new DicomSequence(new DicomTag(0x0040A043), CodeItem()));
        dataset.Add(new DicomSequence(DicomTags.ContentSequence, content));
        return dataset;
    }

    private static DicomDataset Code(DicomDataset dataset)
    {
        Assert.True(dataset.TryGetSequence(new DicomTag(0x0040A043), out var title));
        return title.Items[0];
    }

    private static string? Meaning(DicomDataset dataset, bool nested)
    {
        if (!nested)
        {
            return Code(dataset).GetString(DicomTags.CodeMeaning);
        }

        Assert.True(dataset.TryGetSequence(DicomTags.ContentSequence, out var content));
        return Code(content.Items[0]).GetString(DicomTags.CodeMeaning);
    }
}
