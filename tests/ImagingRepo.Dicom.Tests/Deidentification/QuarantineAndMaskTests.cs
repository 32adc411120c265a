using System.Text.Json;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class QuarantineAndMaskTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x42, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-quarantine-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Ultrasound_without_burned_in_attribute_goes_to_quarantine_with_its_header_deidentified()
    {
        var input = Write(modality: "US", burnedIn: null);
        var result = new DeidentificationEngine(Key).DeidentifyFile(input, Path.Combine(_root, "out"), Path.Combine(_root, "q"));

        Assert.Equal(DeidentificationStatus.Quarantined, result.Status);
        Assert.Contains("ultrasound", result.Reason, StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(_root, "q"), result.OutputPath, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
        Assert.Equal("quarantined", result.Receipt!.Disposition);
        Assert.NotEqual("DOE^JANE", DicomFile.Open(result.OutputPath!).Dataset.GetString(new DicomTag(0x00100010)));
    }

    [Theory]
    [InlineData("CT", "YES", true)]
    [InlineData("CT", null, false)]
    [InlineData("US", "NO", false)]
    [InlineData("US", null, true)]
    public void Burned_in_annotation_and_high_risk_kinds_decide(string modality, string? burnedIn, bool quarantined)
    {
        var input = Write(modality, burnedIn);
        var result = new DeidentificationEngine(Key).DeidentifyFile(input, Path.Combine(_root, "out"), Path.Combine(_root, "q"));
        Assert.Equal(quarantined ? DeidentificationStatus.Quarantined : DeidentificationStatus.Deidentified, result.Status);
    }

    [Fact]
    public void Policy_can_let_a_modality_through()
    {
        var policy = new DeidentificationPolicy { BurnedIn = new BurnedInPolicy { AllowModalities = ["US"] } };
        var result = new DeidentificationEngine(Key, policy).DeidentifyFile(Write("US", null), Path.Combine(_root, "out"));
        Assert.Equal(DeidentificationStatus.Deidentified, result.Status);
    }

    [Fact]
    public void A_pixel_mask_rule_blanks_the_rectangle_and_records_clean_pixel_data()
    {
        var policy = new DeidentificationPolicy
        {
            PixelMasks = [new PixelMaskRule { Modality = "US", Rows = 4, Columns = 4, Rectangles = [new PixelRectangle(0, 0, 4, 1)] }],
        };
        var result = new DeidentificationEngine(Key, policy).DeidentifyFile(Write("US", null), Path.Combine(_root, "out"));

        Assert.Equal(DeidentificationStatus.Deidentified, result.Status);
        Assert.True(result.Receipt!.PixelsCleaned);
        Assert.Contains("113101", result.Receipt.MethodCodes);
        var output = DicomFile.Open(result.OutputPath!).Dataset;
        Assert.Equal("NO", output.GetString(new DicomTag(0x00280301)));
        var pixels = ((DicomValueElement)output[new DicomTag(0x7FE00010)]!).GetBytes().ToArray();
        Assert.All(pixels[..8], b => Assert.Equal(0, b));        // first row blanked
        Assert.Contains(pixels[8..], b => b != 0);               // the rest untouched
    }

    [Fact]
    public void The_reidentification_journal_links_pseudonyms_to_originals_once_per_study()
    {
        var journalPath = Path.Combine(_root, "broker", "journal.jsonl");
        using (var journal = new ReidentificationJournal(journalPath))
        {
            var engine = new DeidentificationEngine(Key) { Journal = journal };
            foreach (var path in EngineValidityTests.WriteStudy(Path.Combine(_root, "study")))
            {
                engine.DeidentifyFile(path, Path.Combine(_root, "out"));
            }
        }

        var lines = File.ReadAllLines(journalPath);
        var entry = Assert.Single(lines);
        using var json = JsonDocument.Parse(entry);
        Assert.Equal("PID-778899", json.RootElement.GetProperty("patientId").GetString());
        Assert.Equal(new Pseudonymizer(Key).PatientId("PID-778899"), json.RootElement.GetProperty("pseudonymousPatientId").GetString());
        Assert.Equal(new Pseudonymizer(Key).ReplaceUid("1.2.826.0.1.3680043.2.1125.7"), json.RootElement.GetProperty("pseudonymousStudyInstanceUid").GetString());
    }

    [Fact]
    public void Receipts_name_tags_and_counts_but_never_values()
    {
        var path = EngineValidityTests.WriteStudy(Path.Combine(_root, "study"))[0];
        var result = new DeidentificationEngine(Key).DeidentifyFile(path, Path.Combine(_root, "out"));
        var receipt = result.Receipt!;
        var line = receipt.ToJsonLine();

        Assert.DoesNotContain("DOE", line, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-778899", line, StringComparison.Ordinal);
        Assert.DoesNotContain("La Fe", line, StringComparison.Ordinal);
        Assert.DoesNotContain("1.2.826.0.1.3680043.2.1125", line, StringComparison.Ordinal);
        Assert.Contains("(0010,0010)", receipt.Tags["P"]);
        Assert.Contains("(0020,000D)", receipt.Tags["U"]);
        Assert.Equal(receipt.Tags["U"].Count, receipt.ActionCounts["U"]);
        Assert.Equal("2024b", receipt.TableEdition);

        using var sha3 = System.Security.Cryptography.SHA3_256.Create();
        Assert.Equal(Convert.ToBase64String(sha3.ComputeHash(File.ReadAllBytes(result.OutputPath!))), receipt.OutputHash);
        Assert.Equal(new FileInfo(result.OutputPath!).Length, receipt.OutputLength);
    }

    private string Write(string modality, string? burnedIn)
    {
        var path = EngineValidityTests.WriteStudy(Path.Combine(_root, "src-" + Guid.NewGuid().ToString("N")))[0];
        var file = DicomFile.Open(path);
        file.Dataset.SetString(new DicomTag(0x00080060), DicomVR.CS, modality);
        if (burnedIn is not null)
        {
            file.Dataset.SetString(new DicomTag(0x00280301), DicomVR.CS, burnedIn);
        }

        file.Dataset.SetValues<ushort>(new DicomTag(0x7FE00010), DicomVR.OW, Enumerable.Range(1, 16).Select(i => (ushort)(i * 100)).ToArray());
        var copy = new DicomFile(file.Dataset, file.TransferSyntax) { FileMetaInformation = file.FileMetaInformation };
        var output = path + ".edited.dcm";
        copy.Save(output);
        File.Delete(path);
        return output;
    }
}
