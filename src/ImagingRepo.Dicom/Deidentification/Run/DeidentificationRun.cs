namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>
/// One de-identification run over files and folders, as <c>imagingrepo deid</c> does it: finds the inputs (a DICOMDIR and
/// files that are not DICOM are ignored, not failed), de-identifies them in parallel with a
/// <see cref="DeidentificationEngine"/>, appends a receipt per written output, resumes after a crash from the receipts of
/// the last run, and sums up what happened.
/// </summary>
/// <remarks>
/// The constructor checks the options without writing anything (<see cref="DeidentificationRunException"/> says what is
/// wrong), so a caller can report a bad request before it starts a progress display; <see cref="RunAsync"/> does the work.
/// Run the same options again to finish an interrupted run: outputs already written are skipped.
/// </remarks>
public sealed class DeidentificationRun
{
    private readonly DeidentificationRunOptions _options;

    /// <summary>Checks <paramref name="options"/> and resolves its paths.</summary>
    /// <param name="options">What to read, where to write, with which key and policy.</param>
    /// <exception cref="DeidentificationRunException">An input does not exist; the journal is inside the output tree; the output
    /// or quarantine tree is inside an input folder, where a rerun would read this run's outputs as inputs.</exception>
    /// <exception cref="DeidentificationPolicyException">The policy is invalid.</exception>
    /// <exception cref="PlatformNotSupportedException">SHA3-256 (for receipts) is not available on this platform.</exception>
    public DeidentificationRun(DeidentificationRunOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Inputs);
        ArgumentNullException.ThrowIfNull(options.OutputRoot);
        ArgumentNullException.ThrowIfNull(options.Key);

        // a copy, so that what was checked is what runs
        _options = options with { Inputs = [.. options.Inputs] };
        Policy = _options.Policy ?? DeidentificationPolicy.Default;
        Policy.Validate();
        foreach (var input in _options.Inputs)
        {
            if (!File.Exists(input) && !Directory.Exists(input))
            {
                throw new DeidentificationRunException($"'{input}' is neither a file nor a folder.");
            }
        }

        var layout = RunLayout.Resolve(_options);
        OutputRoot = layout.OutputRoot;
        QuarantineRoot = layout.QuarantineRoot;
        ReceiptsPath = layout.ReceiptsPath;
        DeidentificationEngine.EnsureSupported();
    }

    /// <summary>The output tree, as a full path.</summary>
    public string OutputRoot { get; }

    /// <summary>The quarantine tree, as a full path: the options' one, or <see cref="OutputRoot"/> + <c>-quarantine</c>.</summary>
    public string QuarantineRoot { get; }

    /// <summary>The receipts file: the options' one, or <c>receipts.jsonl</c> in <see cref="OutputRoot"/>.</summary>
    public string ReceiptsPath { get; }

    /// <summary>The policy in force.</summary>
    public DeidentificationPolicy Policy { get; }

    /// <summary>
    /// Runs: creates the output tree, finds the inputs, de-identifies them on up to
    /// <see cref="DeidentificationRunOptions.MaxDegreeOfParallelism"/> threads (never on the caller's), appends the receipts
    /// and, when asked, the journal.
    /// </summary>
    /// <param name="progress">Told the number of inputs once they are known, then after each file; called from several
    /// threads at once, so it must be thread-safe and quick.</param>
    /// <param name="cancellationToken">Stops taking new files; outputs already named stay complete, with their receipts, and a
    /// rerun finishes the rest.</param>
    /// <returns>What the run did.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public Task<DeidentificationSummary> RunAsync(IProgress<DeidentificationProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        // the engine's parallel loop blocks the thread that starts it: that is a pool thread, not the caller's
        Task.Run(() => Run(progress, cancellationToken), cancellationToken);

    private DeidentificationSummary Run(IProgress<DeidentificationProgress>? progress, CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        Directory.CreateDirectory(OutputRoot);
        var (files, mediaDirectories) = RunInputs.Find(_options.Inputs);
        var tally = new RunTally(files.Count, mediaDirectories, progress);
        progress?.Report(new DeidentificationProgress(0, files.Count));

        using var journal = _options.JournalPath is null ? null : new ReidentificationJournal(_options.JournalPath);
        var receipted = _options.Resume ? ReceiptedOutputs.Read(ReceiptsPath) : null;
        var engine = new DeidentificationEngine(_options.Key, Policy, _options.TimeProvider)
        {
            Journal = journal,
            // a rerun after a crash writes the receipts of outputs named just before it
            IsReceiptMissing = receipted is null ? null : path => !receipted.Contains(path),
        };

        using var receipts = new ReceiptWriter(ReceiptsPath);
        var threads = Math.Clamp(_options.MaxDegreeOfParallelism ?? Environment.ProcessorCount, 1, Environment.ProcessorCount * 4);
        engine.DeidentifyFiles(files, OutputRoot, result => tally.Add(result, receipts), QuarantineRoot, threads, cancellationToken);
        return tally.Summarize(this, time.GetElapsedTime(started));
    }
}
