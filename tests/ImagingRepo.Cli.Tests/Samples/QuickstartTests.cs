using System.Reflection;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Samples;

/// <summary>
/// samples/Quickstart run as a newcomer runs it (<c>dotnet run --project samples/Quickstart -- ARGS</c>): as a process,
/// on the build that this test project's build makes of it.
/// </summary>
public sealed class QuickstartTests : IDisposable
{
    private readonly string _root = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "imagingrepo-quickstart-test-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string QuickstartDll = typeof(QuickstartTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "QuickstartDll").Value!;

    private (int ExitCode, string Stdout, string Stderr) Quickstart(params string[] args)
    {
        Assert.True(File.Exists(QuickstartDll), $"{QuickstartDll} is not built");
        return ProcessRunner.Run("dotnet", ["exec", QuickstartDll, .. args]);
    }

    [Fact]
    public void A_foreign_folder_with_files_is_refused_and_left_as_it_was()
    {
        var foreign = Directory.CreateDirectory(Path.Combine(_root, "mine")).FullName;
        var file = Path.Combine(foreign, "thesis.txt");
        byte[] content = [.. "chapter 1"u8, 0, 1, 2];
        File.WriteAllBytes(file, content);
        Directory.CreateDirectory(Path.Combine(foreign, "notes"));

        var (code, stdout, stderr) = Quickstart(foreign);

        Assert.NotEqual(0, code);
        Assert.Contains("not created by the Quickstart", stderr, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(file));
        Assert.Equal(["notes", "thesis.txt"], Directory.EnumerateFileSystemEntries(foreign).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("Done.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_prints_usage_and_creates_nothing_and_unknown_options_are_errors()
    {
        var before = Directory.EnumerateFileSystemEntries(_root).Count();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = _root, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(QuickstartDll);
        start.ArgumentList.Add("--help");
        using (var process = System.Diagnostics.Process.Start(start)!)
        {
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
        }

        Assert.Equal(before, Directory.EnumerateFileSystemEntries(_root).Count());
        Assert.False(Directory.Exists(Path.Combine(_root, "--help")));

        var (code, _, stderr) = Quickstart("--frobnicate", Path.Combine(_root, "x"));
        Assert.NotEqual(0, code);
        Assert.Contains("--frobnicate", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public void A_second_run_into_the_folder_it_created_works()
    {
        var folder = Path.Combine(_root, "qs");
        var first = Quickstart(folder);
        Assert.True(first.ExitCode == 0, first.Stdout + first.Stderr);
        var second = Quickstart(folder);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Contains("Done.", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("patient name found in 0 outputs, 6 with a zeroed preamble", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("skipped 1 duplicate and ignored 1 non-DICOM file", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("Anchored in the local ledger; dataset integrity intact", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"userAction\":\"CREATE_DATASET\"", second.Stdout, StringComparison.Ordinal); // the tracer V1 request
        // step 1's subject, and the folder step 6's provider pipeline uploaded into (its hashes in the lake's hidden metadata folder)
        var lakeFolders = Directory.GetDirectories(Path.Combine(folder, "datalake")).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).ToList();
        Assert.Equal(2, lakeFolders.Count);
        Assert.Contains("site-upload", lakeFolders);
        Assert.Single(Directory.GetDirectories(Path.Combine(folder, "datalake", "site-upload")));

        // the shipped model on the CPU: 32 of 64 columns above -500 HU, 64 rows, 3 slices of 0.8 x 0.8 x 2.5 mm = 9.83 ml
        Assert.Contains("5. ran quickstart-soft-tissue 1.0.0 on the CPU (CPUExecutionProvider, ONNX Runtime ", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 of 2 series segmented", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, second.Stdout.Split('\n').Count(l => l.EndsWith("3 slices -> DICOM SEG (Soft tissue 9.83 ml)", StringComparison.Ordinal)));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(folder, "results"), "SEG_*.dcm").Length);
        Assert.True(File.Exists(Path.Combine(folder, "results", "inference-summary.json")));
        Assert.DoesNotContain("not part of this release", second.Stdout, StringComparison.Ordinal);

        // the reference service in process: the dataset created from the lake through the Client, released, granted, traced
        Assert.Contains("through the Client: 1 study, 1 subject, draft False after release", second.Stdout, StringComparison.Ordinal);
        Assert.True(second.Stdout.Contains("access check for a researcher of the project: granted; the service's tracer API lists 1 CREATE_DATASET for it", StringComparison.Ordinal), second.Stdout);
        Assert.True(second.Stdout.Contains("the export folder uploaded by DatasetUploader: 1 study de-identified into site-upload/ of the lake (1 non-DICOM file ignored), dataset created with 1 study", StringComparison.Ordinal), second.Stdout);
    }
}
