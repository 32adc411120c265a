using System.Collections.Concurrent;

namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>
/// Counts a run's results as they arrive from its threads, writes their receipts and reports progress; then sums them up.
/// Only failures, duplicates and notes are kept, so memory does not grow with the number of files written.
/// </summary>
internal sealed class RunTally(int total, int ignored, IProgress<DeidentificationProgress>? progress)
{
    private readonly ConcurrentQueue<DeidentificationResult> _failures = new();
    private readonly ConcurrentQueue<DeidentificationResult> _duplicates = new();
    private readonly ConcurrentQueue<DeidentificationNote> _notes = new();
    private int _completed;
    private int _deidentified;
    private int _quarantined;
    private int _skipped;
    private int _ignored = ignored;

    /// <summary>Counts one result and writes its receipt; called from several threads at once.</summary>
    public void Add(DeidentificationResult result, ReceiptWriter receipts)
    {
        switch (result.Status)
        {
            case DeidentificationStatus.Deidentified:
                Interlocked.Increment(ref _deidentified);
                break;
            case DeidentificationStatus.Quarantined:
                Interlocked.Increment(ref _quarantined);
                break;
            case DeidentificationStatus.Skipped when result.Reason is not null:
                _duplicates.Enqueue(result);
                break;
            case DeidentificationStatus.Skipped:
                Interlocked.Increment(ref _skipped);
                break;
            case DeidentificationStatus.Failed when DeidentificationInputs.IsNotDicom(result):
                Interlocked.Increment(ref _ignored);
                break;
            default:
                _failures.Enqueue(result);
                break;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            _notes.Enqueue(new DeidentificationNote(result.SourcePath, diagnostic));
        }

        if (result.Receipt is not null)
        {
            receipts.Write(result.Receipt);
        }

        var completed = Interlocked.Increment(ref _completed);
        progress?.Report(new DeidentificationProgress(completed, total));
    }

    /// <summary>The summary of the results counted.</summary>
    public DeidentificationSummary Summarize(DeidentificationRun run, TimeSpan elapsed) => new()
    {
        Deidentified = _deidentified,
        Quarantined = _quarantined,
        SkippedAsDone = _skipped,
        Ignored = _ignored,
        Failures = [.. _failures.OrderBy(f => f.SourcePath, StringComparer.Ordinal)],
        Duplicates = [.. _duplicates.OrderBy(d => d.SourcePath, StringComparer.Ordinal).ThenBy(d => d.Reason, StringComparer.Ordinal)],
        Notes = [.. _notes.OrderBy(n => n.SourcePath, StringComparer.Ordinal).ThenBy(n => n.Text, StringComparer.Ordinal)],
        OutputRoot = run.OutputRoot,
        QuarantineRoot = run.QuarantineRoot,
        ReceiptsPath = run.ReceiptsPath,
        Elapsed = elapsed,
    };
}
