using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Receipts;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// The native front as published by scripts/publish-cli.sh (./test.sh publishes it and names it in
/// <c>IMAGINGREPO_NATIVE_CLI</c>): ahead-of-time code must write what the library writes, and hand every other command
/// to the full tool.
/// </summary>
public sealed class NativeFrontTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("native-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [SkippableFact]
    public void Native_deid_writes_byte_for_byte_what_the_library_writes()
    {
        var cli = NativeCli();
        var input = Path.Combine(_root, "in");
        DeidCommandTests.WriteInstances(input, 9, pixelBytes: 4096);
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not DICOM");
        var keyFile = Path.Combine(_root, "project.key");
        File.WriteAllText(keyFile, Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()));
        var native = Path.Combine(_root, "native");

        var (code, stdout, stderr) = ProcessRunner.Run(cli, "deid", input, native, "--key-file", keyFile, "--option", "retain-modified-dates");

        Assert.True(code == 0, stderr); // the text file is ignored, not failed
        Assert.StartsWith("deidentified 9 files (0 quarantined, 0 failed) in ", stdout.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
        Assert.Contains("ignored 1 file that is not a DICOM instance", stdout, StringComparison.Ordinal);

        var library = Path.Combine(_root, "library");
        var engine = new DeidentificationEngine(DeidentificationKey.FromFile(keyFile),
            DeidentificationPolicy.Default with { Options = DeidentificationOptions.RetainLongitudinalModifiedDates });
        var receipts = new List<DeidentificationReceipt>();
        engine.DeidentifyFiles(Directory.GetFiles(input, "*.dcm"), library, result =>
        {
            lock (receipts)
            {
                receipts.Add(result.Receipt!);
            }
        });

        var expected = Outputs(library);
        Assert.Equal(9, expected.Count);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Outputs(native).Keys.Order(StringComparer.Ordinal));
        foreach (var (relative, bytes) in Outputs(native))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(expected[relative]), relative + " differs from the library's output");
        }

        var nativeHashes = File.ReadLines(Path.Combine(native, "receipts.jsonl")).Select(line => DeidentificationReceipt.FromJsonLine(line).OutputHash);
        Assert.Equal(receipts.Select(r => r.OutputHash).Order(StringComparer.Ordinal), nativeHashes.Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void Native_dump_prints_elements_and_other_commands_run_in_the_full_tool()
    {
        var cli = NativeCli();
        DeidCommandTests.WriteInstances(_root, 1);

        var dump = ProcessRunner.Run(cli, "dump", Path.Combine(_root, "i1.dcm"));
        Assert.Equal(0, dump.ExitCode);
        Assert.Contains("(0010,0020) LO [PID-1]", dump.Stdout, StringComparison.Ordinal);

        // info is not in the native front: its table of ImagingRepo assemblies comes from the full tool
        var info = ProcessRunner.Run(cli, "info");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("ImagingRepo.Jobs", info.Stdout, StringComparison.Ordinal);

        var unknown = ProcessRunner.Run(cli, "no-such-command");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no-such-command", unknown.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Native_deid_ignores_what_is_not_DICOM_and_refuses_usage_errors_as_the_full_tool_does()
    {
        var cli = NativeCli();
        var input = Path.Combine(_root, "export");
        DeidCommandTests.WriteInstances(input, 1);
        File.Copy(Path.Combine(input, "i1.dcm"), Path.Combine(input, "DICOMDIR"));
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not DICOM");
        var keyFile = Path.Combine(_root, "project.key");
        File.WriteAllText(keyFile, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()));

        var run = ProcessRunner.Run(cli, "deid", input, Path.Combine(_root, "out"), "--key-file", keyFile);
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("ignored 2 files that are not DICOM instances", run.Stdout, StringComparison.Ordinal);

        Assert.Equal(2, ProcessRunner.Run(cli, "deid", input, Path.Combine(input, "out"), "--key-file", keyFile).ExitCode);
        Assert.Equal(2, ProcessRunner.Run(cli, "deid", input).ExitCode);
        Assert.Equal(2, ProcessRunner.Run(cli, "deid", input, Path.Combine(_root, "o2"), "--no-such-option").ExitCode);
    }

    private static string NativeCli()
    {
        var path = Environment.GetEnvironmentVariable("IMAGINGREPO_NATIVE_CLI");
        return !string.IsNullOrEmpty(path) && File.Exists(path)
            ? path
            : TestEnvironment.Unavailable<string>("the native front (scripts/publish-cli.sh OUT, then IMAGINGREPO_NATIVE_CLI=OUT/imagingrepo)");
    }

    private static Dictionary<string, byte[]> Outputs(string root) =>
        Directory.GetFiles(root, "*.dcm", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(root, path), File.ReadAllBytes, StringComparer.Ordinal);
}
