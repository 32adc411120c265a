using System.Text.RegularExpressions;

namespace ImagingRepo.Cli.Tests.Commands;

[Collection("Console")]
public sealed partial class DeidCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("deid-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Deid_writes_subject_folders_receipts_and_the_summary_line_and_skips_on_rerun()
    {
        var input = Path.Combine(_root, "in");
        WriteInstances(input, 3);
        File.WriteAllText(Path.Combine(input, "readme.txt"), "not DICOM");
        var key = Path.Combine(_root, "project.key");
        File.WriteAllText(key, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        var output = Path.Combine(_root, "out");

        var (code, text) = Run("deid", input, output, "--key-file", key, "--option", "retain-modified-dates");

        Assert.Equal(0, code); // readme.txt is not DICOM: ignored, not failed
        Assert.Matches(SummaryLine(), text.TrimEnd().Split('\n')[^1]);
        Assert.StartsWith("deidentified 3 files (0 quarantined, 0 failed) in ", text.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Contains("ignored 1 file that is not a DICOM instance", text, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "receipts.jsonl")).Length);
        var instance = Assert.Single(Directory.GetDirectories(output)); // one subject
        Assert.Equal(3, Directory.GetFiles(instance, "*.dcm", SearchOption.AllDirectories).Length);

        var (again, rerun) = Run("deid", input, output, "--key-file", key, "--option", "retain-modified-dates");
        Assert.Equal(0, again);
        Assert.Contains("skipped 3 files already de-identified", rerun, StringComparison.Ordinal);
        Assert.StartsWith("deidentified 0 files (0 quarantined, 0 failed)", rerun.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "receipts.jsonl")).Length);
    }

    [Fact]
    public void Deid_lists_duplicates_and_conflicts_with_the_input_they_lose_to()
    {
        var input = Path.Combine(_root, "in");
        WriteInstances(input, 2);
        File.Copy(Path.Combine(input, "i1.dcm"), Path.Combine(input, "i1-copy.dcm"));
        var conflict = ImagingRepo.Dicom.DicomFile.Open(Path.Combine(input, "i2.dcm"));
        conflict.Dataset.SetString(ImagingRepo.Dicom.DicomTags.SOPInstanceUID, ImagingRepo.Dicom.DicomVR.UI, "1.2.3.4.5.1");
        conflict.Save(Path.Combine(input, "i2-as-i1.dcm"));
        var key = Path.Combine(_root, "project.key");
        File.WriteAllText(key, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));

        var (code, text) = Run("deid", input, Path.Combine(_root, "out"), "--key-file", key, "--parallelism", "4");

        Assert.Equal(1, code); // the conflict failed
        Assert.Contains($"skipped: {Path.Combine(input, "i1.dcm")}: duplicate of {Path.Combine(input, "i1-copy.dcm")}", text, StringComparison.Ordinal);
        Assert.Contains($"failed: {Path.Combine(input, "i2-as-i1.dcm")}: conflict: same SOP Instance UID as {Path.Combine(input, "i1-copy.dcm")}", text,
            StringComparison.Ordinal);
        Assert.Contains("skipped 1 files that duplicate an earlier input", text, StringComparison.Ordinal);
        Assert.StartsWith("deidentified 2 files (0 quarantined, 1 failed) in ", text.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_real_export_with_a_DICOMDIR_and_other_files_exits_0_and_counts_them_as_ignored()
    {
        var input = Path.Combine(_root, "export");
        WriteInstances(Path.Combine(input, "DICOM"), 2);
        File.Copy(Path.Combine(input, "DICOM", "i1.dcm"), Path.Combine(input, "DICOMDIR")); // DICM prefix, yet no instance
        File.WriteAllText(Path.Combine(input, "README.TXT"), "Exported by the PACS");
        File.WriteAllText(Path.Combine(input, "series.tsv"), "series\tcount\n1\t2\n");
        File.WriteAllBytes(Path.Combine(input, "DICOM", "VERSION"), [0x01, 0x02, 0x03, 0x04, 0xFF, 0x00, 0x10]);
        var key = Path.Combine(_root, "project.key");
        File.WriteAllText(key, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        var output = Path.Combine(_root, "out");

        var (code, text) = Run("deid", input, output, "--key-file", key);

        Assert.True(code == 0, text);
        Assert.DoesNotContain("failed:", text, StringComparison.Ordinal);
        Assert.Contains("ignored 4 files that are not DICOM instances", text, StringComparison.Ordinal);
        Assert.Contains("receipts: " + Path.Combine(output, "receipts.jsonl"), text, StringComparison.Ordinal);
        Assert.StartsWith("deidentified 2 files (0 quarantined, 0 failed) in ", text.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories).Length);
    }

    [Theory]
    [InlineData("output")]
    [InlineData("quarantine")]
    [InlineData("same")]
    public void An_output_or_quarantine_folder_inside_the_input_is_refused(string which)
    {
        var input = Path.Combine(_root, "in");
        WriteInstances(input, 1);
        var key = Path.Combine(_root, "project.key");
        File.WriteAllText(key, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        string[] args = which switch
        {
            "output" => ["deid", input, Path.Combine(input, "deid"), "--key-file", key],
            "quarantine" => ["deid", input, Path.Combine(_root, "out"), "--key-file", key, "--quarantine", Path.Combine(input, "q")],
            _ => ["deid", input, input + Path.DirectorySeparatorChar, "--key-file", key],
        };

        var (code, text) = Run(args);

        Assert.Equal(2, code);
        Assert.Contains("inside the input folder", text, StringComparison.Ordinal);
        Assert.Equal(["i1.dcm"], Directory.EnumerateFileSystemEntries(input).Select(Path.GetFileName));
    }

    [Fact]
    public void Usage_errors_exit_with_the_documented_code_2()
    {
        using var child = StartCli("deid", _root); // OUT missing
        child.StandardOutput.ReadToEnd();
        var stderr = child.StandardError.ReadToEnd();
        child.WaitForExit();
        Assert.Equal(2, child.ExitCode);
        Assert.Contains("Required argument missing", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Deid_rejects_a_missing_key_and_unknown_options()
    {
        Assert.Equal(2, Run("deid", _root, Path.Combine(_root, "o")).ExitCode);
        var key = Path.Combine(_root, "k");
        File.WriteAllText(key, Convert.ToBase64String(new byte[32]));
        var (code, text) = Run("deid", _root, Path.Combine(_root, "o"), "--key-file", key, "--option", "retain-everything");
        Assert.Equal(2, code);
        Assert.Contains("unknown --option 'retain-everything'", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_killed_run_leaves_only_whole_outputs_and_a_rerun_finishes_it()
    {
        const int Count = 2000;
        var input = Path.Combine(_root, "in");
        WriteInstances(input, Count, pixelBytes: 16 * 1024);
        var key = Path.Combine(_root, "project.key");
        File.WriteAllText(key, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));
        var output = Path.Combine(_root, "out");
        var receipts = Path.Combine(output, "receipts.jsonl");

        // a separate process, killed (SIGKILL: no clean-up of any kind) as soon as its first output is in place
        using (var child = StartCli("deid", input, output, "--key-file", key, "--parallelism", "1"))
        {
            // polled without sleeping: a run over these files takes well under a second
            SpinWait.SpinUntil(() => child.HasExited || (File.Exists(receipts) && new FileInfo(receipts).Length > 0), TimeSpan.FromSeconds(60));
            if (child.HasExited)
            {
                Assert.Fail("the run ended before it could be killed: " + child.StandardError.ReadToEnd());
            }

            child.Kill(entireProcessTree: true);
            child.WaitForExit();
        }

        var written = Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories);
        Assert.InRange(written.Length, 1, Count - 1);
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp", SearchOption.AllDirectories));
        Assert.All(written, path => Assert.Empty(ImagingRepo.Dicom.DicomFile.Open(path).Diagnostics));

        var (code, text) = Run("deid", input, output, "--key-file", key);
        Assert.Equal(0, code);
        Assert.StartsWith($"deidentified {Count - written.Length} files (0 quarantined, 0 failed)", text.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Equal(Count, Directory.GetFiles(output, "*.dcm", SearchOption.AllDirectories).Length);

        // every output has its receipt now, even one named just before the kill and left without it
        var recorded = File.ReadLines(receipts)
            .Select(line => { try { return ImagingRepo.Dicom.Deidentification.Receipts.DeidentificationReceipt.FromJsonLine(line).OutputPath; } catch (System.Text.Json.JsonException) { return null; } })
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Count, recorded.Count);
    }

    /// <summary>Starts the CLI built next to the tests as a child process.</summary>
    private static System.Diagnostics.Process StartCli(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "imagingrepo.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return System.Diagnostics.Process.Start(start)!;
    }

    private static (int ExitCode, string Output) Run(params string[] args) => InProcessCli.Run(args);

    internal static void WriteInstances(string folder, int count, int pixelBytes = 0)
    {
        Directory.CreateDirectory(folder);
        for (var i = 1; i <= count; i++)
        {
            var d = new ImagingRepo.Dicom.DicomDataset();
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00080016), ImagingRepo.Dicom.DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00080018), ImagingRepo.Dicom.DicomVR.UI, "1.2.3.4.5." + i);
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00080020), ImagingRepo.Dicom.DicomVR.DA, "20240105");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00080060), ImagingRepo.Dicom.DicomVR.CS, "CT");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00100010), ImagingRepo.Dicom.DicomVR.PN, "DOE^JANE");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x00100020), ImagingRepo.Dicom.DicomVR.LO, "PID-1");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x0020000D), ImagingRepo.Dicom.DicomVR.UI, "1.2.3.4");
            d.SetString(new ImagingRepo.Dicom.DicomTag(0x0020000E), ImagingRepo.Dicom.DicomVR.UI, "1.2.3.4.5");
            if (pixelBytes > 0)
            {
                d.SetValues<ushort>(new ImagingRepo.Dicom.DicomTag(0x00280010), ImagingRepo.Dicom.DicomVR.US, 1);
                d.SetValues<ushort>(new ImagingRepo.Dicom.DicomTag(0x00280011), ImagingRepo.Dicom.DicomVR.US, (ushort)(pixelBytes / 2));
                d.SetValues<ushort>(new ImagingRepo.Dicom.DicomTag(0x7FE00010), ImagingRepo.Dicom.DicomVR.OW, new ushort[pixelBytes / 2]);
            }

            new ImagingRepo.Dicom.DicomFile(d).Save(Path.Combine(folder, $"i{i}.dcm"));
        }
    }

    [GeneratedRegex(@"^deidentified \d+ files \(\d+ quarantined, \d+ failed\) in \d+\.\d\d s$")]
    private static partial Regex SummaryLine();
}
