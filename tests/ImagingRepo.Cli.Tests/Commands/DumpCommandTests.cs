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
        Assert.Contains("    (0008,1155) UI [2.25.8]", output, StringComparison.Ordinal);
        Assert.Contains("notes.txt", Encoding.UTF8.GetString(stderr.ToArray()), StringComparison.Ordinal);
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
