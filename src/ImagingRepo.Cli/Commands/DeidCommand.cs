using System.CommandLine;
using System.Globalization;
using ImagingRepo.Dicom.Deidentification;
using ImagingRepo.Dicom.Deidentification.Policy;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;
using Spectre.Console;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo deid IN OUT</c>: de-identifies a DICOM file tree under PS3.15 Annex E into subject/study/series
/// folders, in parallel, with receipts, a quarantine for possible burned-in text and a final summary line.
/// </summary>
internal static class DeidCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("IN") { Description = "A DICOM file or a folder searched recursively." };
        var output = new Argument<string>("OUT") { Description = "The output folder: OUT/<subject>/<study>/<series>/<instance>.dcm." };
        var options = new Option<string[]>("--option")
        {
            Description = "A profile option, repeatable: " + string.Join(", ", DeidentificationOptionNames.ShortNames) + ".",
            AllowMultipleArgumentsPerToken = true,
        };
        var keyFile = new Option<string?>("--key-file") { Description = "The project's secret key (base64 or hex text, at least 16 bytes). Required." };
        var policyFile = new Option<string?>("--policy") { Description = "The project's de-identification policy (JSON)." };
        var quarantine = new Option<string?>("--quarantine") { Description = "Where instances that may show burned-in text go (default OUT-quarantine)." };
        var receipts = new Option<string?>("--receipts") { Description = "The receipts file, one JSON line per written instance (default OUT/receipts.jsonl)." };
        var journal = new Option<string?>("--journal") { Description = "Write the honest broker's re-identification journal here (keep it outside OUT)." };
        var parallelism = new Option<int?>("--parallelism") { Description = "Files processed at once (default: the number of cores)." };

        var command = new Command("deid", "De-identify DICOM files (PS3.15 Basic Profile and options) with keyed pseudonyms, receipts and a burned-in quarantine.")
        {
            input,
            output,
            options,
            keyFile,
            policyFile,
            quarantine,
            receipts,
            journal,
            parallelism,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(input)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(options) ?? [],
            parseResult.GetValue(keyFile),
            parseResult.GetValue(policyFile),
            parseResult.GetValue(quarantine),
            parseResult.GetValue(receipts),
            parseResult.GetValue(journal),
            parseResult.GetValue(parallelism),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string input, string output, string[] optionNames, string? keyFile, string? policyFile,
        string? quarantine, string? receiptsFile, string? journalFile, int? parallelism, CancellationToken cancellationToken)
    {
        if (keyFile is null)
        {
            return Fail("--key-file is required: the project's secret key (for example: head -c 32 /dev/urandom | base64 > project.key).");
        }

        DeidentificationRun run;
        try
        {
            var key = DeidentificationKey.FromFile(keyFile);
            var policy = policyFile is null ? DeidentificationPolicy.Default : DeidentificationPolicy.Load(policyFile);
            var extra = DeidentificationOptions.None;
            foreach (var name in optionNames)
            {
                if (!DeidentificationOptionNames.TryParse(name, out var option))
                {
                    return Fail($"unknown --option '{name}'; known: {string.Join(", ", DeidentificationOptionNames.ShortNames)}.");
                }

                extra |= option;
            }

            policy = policy with { Options = policy.Options | extra };
            policy.Validate(policyFile ?? "--option");
            run = new DeidentificationRun(new DeidentificationRunOptions
            {
                Inputs = [input],
                OutputRoot = output,
                QuarantineRoot = quarantine,
                Key = key,
                Policy = policy,
                ReceiptsPath = receiptsFile,
                JournalPath = journalFile,
                MaxDegreeOfParallelism = parallelism,
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DeidentificationPolicyException
                                      or DeidentificationRunException or PlatformNotSupportedException)
        {
            return Fail(e.Message);
        }

        DeidentificationSummary summary;
        try
        {
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
            {
                summary = await AnsiConsole.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(context => run.RunAsync(new ProgressBar(context), cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                summary = await run.RunAsync(null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: outputs written so far are complete; rerun to finish (done files are skipped).");
            return 130;
        }

        Render(summary);
        return summary.Succeeded ? 0 : 1;
    }

    /// <summary>Writes the notes and failures to standard error and the counts and the summary line to standard output.</summary>
    private static void Render(DeidentificationSummary summary)
    {
        var notes = summary.Duplicates.Select(d => $"skipped: {d.SourcePath}: {d.Reason}")
            .Concat(summary.Notes.Select(n => $"note: {n.SourcePath}: {n.Text}"));
        foreach (var note in notes.Order(StringComparer.Ordinal))
        {
            Console.Error.WriteLine(note);
        }

        foreach (var failure in summary.Failures)
        {
            Console.Error.WriteLine($"failed: {failure.SourcePath}: {failure.Reason}");
        }

        if (summary.Duplicates.Count > 0)
        {
            Console.WriteLine($"skipped {summary.Duplicates.Count} files that duplicate an earlier input");
        }

        if (summary.SkippedAsDone > 0)
        {
            Console.WriteLine($"skipped {summary.SkippedAsDone} files already de-identified in {summary.OutputRoot}");
        }

        if (summary.Ignored > 0)
        {
            Console.WriteLine(summary.Ignored == 1
                ? "ignored 1 file that is not a DICOM instance (DICOMDIR, or no DICM prefix and not readable as DICOM)"
                : $"ignored {summary.Ignored} files that are not DICOM instances (DICOMDIR, or no DICM prefix and not readable as DICOM)");
        }

        if (summary.Quarantined > 0)
        {
            Console.WriteLine($"quarantined {summary.Quarantined} files (possible burned-in text) in {summary.QuarantineRoot}; " +
                              $"why each one: the quarantineReason of its receipt in {summary.ReceiptsPath}");
        }

        Console.WriteLine($"receipts: {summary.ReceiptsPath}");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"deidentified {summary.Deidentified} files ({summary.Quarantined} quarantined, {summary.Failures.Count} failed) in {summary.Elapsed.TotalSeconds:0.00} s"));
    }

    /// <summary>A progress bar for runs of more than one file, added once the run knows how many there are.</summary>
    private sealed class ProgressBar(ProgressContext context) : IProgress<DeidentificationProgress>
    {
        private ProgressTask? _task;

        public void Report(DeidentificationProgress value)
        {
            // the first report (none completed yet) comes before the workers start, so the task is set before they read it
            if (value.Completed == 0)
            {
                _task ??= value.Total > 1 ? context.AddTask("de-identifying", maxValue: value.Total) : null;
                return;
            }

            _task?.Value = value.Completed;
        }
    }

    /// <summary>Reports a usage error (a refused argument or option) and returns its exit code, 2.</summary>
    private static int Fail(string message)
    {
        Console.Error.WriteLine("deid: " + message);
        return 2;
    }
}
