using System.Text;
using ImagingRepo.Cli.Commands;
using ImagingRepo.Dicom;

namespace ImagingRepo.Cli.Tests.Commands;

public sealed class DumpCommandTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("imagingrepo-dump-");

    public void Dispose() => folder.Delete(recursive: true);

    private void WriteFile(string relative, string patientName)
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.7");
        dataset.SetString(DicomTags.PatientName, patientName);
        dataset.Add(new DicomSequence(DicomTags.ReferencedImageSequence,
            new DicomDataset(new DicomValueElement(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, "2.25.8\0"u8.ToArray()))));
        var path = Path.Combine(folder.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        new DicomFile(dataset).Save(path);
    }

    [Fact]
    public void Dumps_folders_recursively_in_order_and_reports_failures()
    {
        WriteFile("b/two.dcm", "Second^Patient");
        WriteFile("a/one.dcm", "First^Patient");
        File.WriteAllText(Path.Combine(folder.FullName, "a", "notes.txt"), "not DICOM");

        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var exit = DumpCommand.Run([folder.FullName], full: false, strict: false, threads: 2, stdout, stderr);

        var output = Encoding.UTF8.GetString(stdout.ToArray());
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(1, exit);
        Assert.Matches(@"^dumped 3 files \(1 failed\) in \d+\.\d{3} s$", lines[^1]);
        Assert.True(output.IndexOf("First^Patient", StringComparison.Ordinal) < output.IndexOf("Second^Patient", StringComparison.Ordinal));
        Assert.Contains("(0008,1140) SQ (Sequence)", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\(0008,1140\) SQ \(Sequence\) +# u/l, 1 ReferencedImageSequence\n  \(FFFE,E000\) na \(Item\) +# u/l, 1 Item\n", output);
        Assert.Contains("    (0008,1155) UI [2.25.8]", output, StringComparison.Ordinal);
        Assert.Contains("notes.txt", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_show_the_value_multiplicity_registered_UID_names_and_private_names()
    {
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        dataset.SetString(DicomTags.SOPInstanceUID, "2.25.7");
        dataset.SetString(DicomTags.ImageType, DicomVR.CS, "ORIGINAL\\PRIMARY\\AXIAL");
        dataset.SetString(DicomTags.PixelSpacing, DicomVR.DS, "0.5\\0.5");
        dataset.SetString(DicomTags.PatientName, "");
        dataset.SetValues<ushort>(DicomTags.Rows, DicomVR.US, 512);
        dataset.Add(new DicomValueElement(new DicomTag(0x00090010), DicomVR.LO, "GEMS_IDEN_01"u8.ToArray()));
        dataset.Add(new DicomValueElement(new DicomTag(0x00091001), DicomVR.LO, "GE_GENESIS_FF "u8.ToArray()));
        dataset.Add(new DicomValueElement(new DicomTag(0x00111001), DicomVR.LO, "nobody "u8.ToArray()));
        var path = Path.Combine(folder.FullName, "ct.dcm");
        new DicomFile(dataset).Save(path);

        var stdout = new MemoryStream();
        var exit = DumpCommand.Run([path], full: false, strict: false, threads: 1, stdout, new MemoryStream());

        var output = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Equal(0, exit);
        Assert.Matches(@"\n\(0002,0001\) OB 00\\01 +# 2, 1 FileMetaInformationVersion\n", output);
        Assert.Matches(@"\n\(0002,0010\) UI =ExplicitVRLittleEndian +# 20, 1 TransferSyntaxUID\n", output);
        Assert.Matches(@"\n\(0008,0008\) CS \[ORIGINAL\\PRIMARY\\AXIAL\] +# 22, 3 ImageType\n", output);
        Assert.Matches(@"\n\(0008,0016\) UI =CTImageStorage +# 26, 1 SOPClassUID\n", output);
        Assert.Matches(@"\n\(0008,0018\) UI \[2\.25\.7\] +# 6, 1 SOPInstanceUID\n", output);
        Assert.Matches(@"\n\(0009,1001\) LO \[GE_GENESIS_FF\] +# 14, 1 FullFidelity\n", output);
        Assert.Matches(@"\n\(0010,0010\) PN \(no value available\) +# 0, 0 PatientName\n", output);
        Assert.Matches(@"\n\(0011,1001\) LO \[nobody\] +# 8, 1 \(private\)\n", output);
        Assert.Matches(@"\n\(0028,0010\) US 512 +# 2, 1 Rows\n", output);
        Assert.Matches(@"\n\(0028,0030\) DS \[0\.5\\0\.5\] +# 8, 2 PixelSpacing\n", output);
    }

    [Fact]
    public void A_missing_path_is_an_error_not_a_crash()
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var exit = DumpCommand.Run([Path.Combine(folder.FullName, "nope")], false, false, 1, stdout, stderr);
        Assert.Equal(1, exit);
        Assert.Contains("no such file or folder", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
        Assert.Matches(@"^dumped 0 files \(1 failed\) in \d+\.\d{3} s\n$", Encoding.UTF8.GetString(stdout.ToArray()));
    }
}
