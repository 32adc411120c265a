using System.Collections.Concurrent;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Receipts;
using ImagingRepo.Dicom.Deidentification.Run;

namespace ImagingRepo.Dicom.Tests.Deidentification;

public sealed class DeidentificationRunTests : IDisposable
{
    private static readonly DeidentificationKey Key = new(Enumerable.Repeat((byte)0x5A, 32).ToArray());
    private readonly string _root = Directory.CreateTempSubdirectory("deid-run-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_run_reports_progress_and_counts_each_outcome()
    {
        var input = Path.Combine(_root, "export");
        var instances = EngineValidityTests.WriteStudy(input);
        File.Copy(instances[0], Path.Combine(input, "DICOMDIR"));                 // an index: ignored, never read
        File.WriteAllText(Path.Combine(input, "README.TXT"), "Exported by the PACS"); // not DICOM: ignored
        File.Copy(instances[0], Path.Combine(input, "zz-copy.dcm"));               // the same bytes again: a duplicate
        File.WriteAllBytes(Path.Combine(input, "zz-broken.dcm"), [.. new byte[128], .. "DICM"u8, 0x02, 0x00]); // a broken instance: failed
        var progress = new RecordingProgress();
        var run = new DeidentificationRun(Options(input));

        var summary = await run.RunAsync(progress);

        Assert.Equal(instances.Length, summary.Deidentified);
        Assert.Equal(0, summary.Quarantined);
        Assert.Equal(0, summary.SkippedAsDone);
        Assert.Equal(2, summary.Ignored);
        var duplicate = Assert.Single(summary.Duplicates);
        Assert.Equal(Path.Combine(input, "zz-copy.dcm"), duplicate.SourcePath);
        Assert.StartsWith("duplicate of ", duplicate.Reason, StringComparison.Ordinal);
        var failure = Assert.Single(summary.Failures);
        Assert.Equal(Path.Combine(input, "zz-broken.dcm"), failure.SourcePath);
        Assert.NotNull(failure.Reason);
        Assert.False(summary.Succeeded);
        Assert.Empty(summary.Notes);
        Assert.Equal(Path.Combine(_root, "out"), summary.OutputRoot);
        Assert.Equal(Path.Combine(_root, "out-quarantine"), summary.QuarantineRoot);
        Assert.Equal(Path.Combine(_root, "out", "receipts.jsonl"), summary.ReceiptsPath);
        Assert.Equal(instances.Length, File.ReadAllLines(summary.ReceiptsPath).Length);
        Assert.True(summary.Elapsed > TimeSpan.Zero);

        // every file but the DICOMDIR is processed: first the total alone, then one report per file
        var total = instances.Length + 3;
        var reports = progress.Reports.ToArray();
        Assert.Equal(new DeidentificationProgress(0, total), reports[0]);
        Assert.Equal(total + 1, reports.Length);
        Assert.Equal(Enumerable.Range(0, total + 1), reports.Select(r => r.Completed).Order());
        Assert.All(reports, r => Assert.Equal(total, r.Total));
    }

    [Fact]
    public async Task A_rerun_skips_what_is_done_and_writes_the_receipts_a_crash_lost()
    {
        var input = Path.Combine(_root, "in");
        var instances = EngineValidityTests.WriteStudy(input);
        var first = await new DeidentificationRun(Options(input)).RunAsync();
        var receipts = File.ReadAllLines(first.ReceiptsPath);
        Assert.Equal(instances.Length, receipts.Length);

        // a crash lost the last two receipts, and cut the one before short
        File.WriteAllText(first.ReceiptsPath, string.Join('\n', receipts[..^3]) + "\n" + receipts[^3][..20]);
        var resumed = await new DeidentificationRun(Options(input)).RunAsync();

        Assert.Equal(0, resumed.Deidentified);
        Assert.Equal(instances.Length, resumed.SkippedAsDone);
        Assert.True(resumed.Succeeded);
        var after = File.ReadAllLines(first.ReceiptsPath).Where(line => line.EndsWith('}')).Select(DeidentificationReceipt.FromJsonLine).ToArray();
        Assert.Equal(
            receipts.Select(DeidentificationReceipt.FromJsonLine).Select(r => (r.OutputPath, r.OutputHash)).Order(),
            after.Select(r => (r.OutputPath, r.OutputHash)).Order());
    }

    [Fact]
    public async Task A_rerun_without_resume_skips_what_is_done_and_leaves_the_receipts_as_they_are()
    {
        var input = Path.Combine(_root, "in");
        var instances = EngineValidityTests.WriteStudy(input);
        var first = await new DeidentificationRun(Options(input)).RunAsync();
        File.WriteAllLines(first.ReceiptsPath, File.ReadAllLines(first.ReceiptsPath)[..^2]);

        var rerun = await new DeidentificationRun(Options(input) with { Resume = false })
            .RunAsync();

        Assert.Equal(instances.Length, rerun.SkippedAsDone);
        Assert.Equal(instances.Length - 2, File.ReadAllLines(first.ReceiptsPath).Length);
    }

    [Fact]
    public async Task A_cancelled_run_throws_and_leaves_only_whole_outputs_with_their_receipts()
    {
        var input = Path.Combine(_root, "in");
        var instances = EngineValidityTests.WriteStudy(input);
        using var cancellation = new CancellationTokenSource();
        var progress = new RecordingProgress(p =>
        {
            if (p.Completed == 2)
            {
                cancellation.Cancel();
            }
        });
        var run = new DeidentificationRun(Options(input) with { MaxDegreeOfParallelism = 1 });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.RunAsync(progress, cancellation.Token));

        var written = Directory.GetFiles(run.OutputRoot, "*.dcm", SearchOption.AllDirectories);
        Assert.InRange(written.Length, 2, instances.Length - 1);
        Assert.Empty(Directory.EnumerateFiles(run.OutputRoot, "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(written.Length, File.ReadAllLines(run.ReceiptsPath).Length);

        var finished = await new DeidentificationRun(Options(input)).RunAsync();
        Assert.Equal(written.Length, finished.SkippedAsDone);
        Assert.Equal(instances.Length - written.Length, finished.Deidentified);
    }

    [Fact]
    public void Options_that_would_read_their_own_outputs_or_leak_the_journal_are_refused_before_anything_is_written()
    {
        var input = Path.Combine(_root, "in");
        EngineValidityTests.WriteStudy(input);

        var inside = Assert.Throws<DeidentificationRunException>(() => new DeidentificationRun(Options(input) with { OutputRoot = Path.Combine(input, "out") }));
        Assert.Contains("is inside the input folder", inside.Message, StringComparison.Ordinal);
        var quarantine = Assert.Throws<DeidentificationRunException>(() => new DeidentificationRun(Options(input) with { QuarantineRoot = input }));
        Assert.StartsWith("the quarantine folder", quarantine.Message, StringComparison.Ordinal);
        var journal = Assert.Throws<DeidentificationRunException>(() =>
            new DeidentificationRun(Options(input) with { JournalPath = Path.Combine(_root, "out", "journal.jsonl") }));
        Assert.Contains("outside OUT", journal.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<DeidentificationRunException>(() => new DeidentificationRun(Options(Path.Combine(_root, "nowhere"))));
        Assert.Contains("is neither a file nor a folder", missing.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "out")));
    }

    [Fact]
    public async Task Files_and_folders_are_inputs_alike_and_the_journal_records_each_study()
    {
        var folder = EngineValidityTests.WriteStudy(Path.Combine(_root, "a"));
        var single = EngineValidityTests.WriteStudy(Path.Combine(_root, "b"))[0];
        File.Copy(single, Path.Combine(_root, "single.dcm"));
        var journalPath = Path.Combine(_root, "journal.jsonl");

        var summary = await new DeidentificationRun(Options(Path.Combine(_root, "a")) with
        {
            Inputs = [Path.Combine(_root, "a"), Path.Combine(_root, "single.dcm")],
            JournalPath = journalPath,
        }).RunAsync();

        // the single file is the first instance of the folder again: a duplicate of it
        Assert.Equal(folder.Length, summary.Deidentified);
        Assert.Equal(Path.Combine(_root, "single.dcm"), Assert.Single(summary.Duplicates).SourcePath);
        Assert.NotEmpty(File.ReadAllLines(journalPath));
    }

    private DeidentificationRunOptions Options(string input) => new()
    {
        Inputs = [input],
        OutputRoot = Path.Combine(_root, "out"),
        Key = Key,
        MaxDegreeOfParallelism = 2,
    };

    /// <summary>Records every report, from whichever thread makes it, and runs an action on each.</summary>
    private sealed class RecordingProgress(Action<DeidentificationProgress>? onReport = null) : IProgress<DeidentificationProgress>
    {
        public ConcurrentQueue<DeidentificationProgress> Reports { get; } = new();

        public void Report(DeidentificationProgress value)
        {
            Reports.Enqueue(value);
            onReport?.Invoke(value);
        }
    }
}
