using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Profile;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class IodAttributeTypeTableTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("deid-iod-table-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_table_holds_the_composite_rows_and_the_conditional_attributes_only()
    {
        var composite = ConfidentialityProfile.Rows
            .Where(r => r.BasicAction is ProfileAction.RemoveOrZero or ProfileAction.RemoveOrDummy or ProfileAction.ZeroOrDummy
                or ProfileAction.RemoveOrZeroOrDummy or ProfileAction.RemoveOrZeroOrReplaceUids)
            .Select(r => r.Tag)
            .Append(DicomTags.ClinicalTrialProtocolEthicsCommitteeName.Value)
            .ToHashSet();
        Assert.Subset(composite, IodAttributeTypes.Tags.ToHashSet());
        Assert.True(IodAttributeTypeTable.SopClasses.Length >= 100);
        Assert.Equal(IodAttributeTypeTable.SopClasses.Length, IodAttributeTypeTable.SopClasses.Select(c => c.SopClassUid).Distinct().Count());
    }

    [SkippableFact]
    public void The_committed_table_is_what_the_generator_makes()
    {
        var standard = TestEnvironment.DicomStandard ?? TestEnvironment.Unavailable<string>("the DICOM standard tables (../shared/dicom/standard)");
        ExternalTools.Require("dciodvfy", "dicom3tools");
        var python = ExternalTools.Require("python3", "python3-pydicom");
        var output = Path.Combine(_root, "table.g.cs");
        var (code, text) = ExternalTools.Run(python, Path.Combine(TestEnvironment.RepositoryRoot, "eng", "generate-iod-attribute-types.py"), standard, output);
        Assert.True(code == 0, text);
        var committed = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "src", "ImagingRepo.Dicom", "Deidentification", "Profile", "IodAttributeTypeTable.g.cs"));
        Assert.Equal(committed, File.ReadAllText(output));
    }
}
