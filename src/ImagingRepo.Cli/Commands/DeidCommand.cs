using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImagingRepo.Dicom.Deidentification;
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

        var command = new Command("deid", "De-identify DICOM files (PS3.15 Basic Profile and options) with keyed pseudonyms, receipts and a burned-in quarantine.");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Options.Add(options);
        command.Options.Add(keyFile);
        command.Options.Add(policyFile);
        command.Options.Add(quarantine);
        command.Options.Add(receipts);
        command.Options.Add(journal);
        command.Options.Add(parallelism);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            parseResult.GetValue(input)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(options) ?? [],
            parseResult.GetValue(keyFile),
            parseResult.GetValue(policyFile),
            parseResult.GetValue(quarantine),
            parseResult.GetValue(receipts),
            parseResult.GetValue(journal),
            parseResult.GetValue(parallelism),
            cancellationToken)));
        return command;
    }

    private static int Run(string input, string output, string[] optionNames, string? keyFile, string? policyFile, string? quarantine,
        string? receiptsFile, string? journalFile, int? parallelism, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        if (keyFile is null)
        {
            return Fail("--key-file is required: the project's secret key (for example: head -c 32 /dev/urandom | base64 > project.key).");
        }

        DeidentificationKey key;
        DeidentificationPolicy policy;
        try
        {
            key = DeidentificationKey.FromFile(keyFile);
            policy = policyFile is null ? DeidentificationPolicy.Default : DeidentificationPolicy.Load(policyFile);
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
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DeidentificationPolicyException)
        {
            return Fail(e.Message);
        }

        if (!File.Exists(input) && !Directory.Exists(input))
        {
            return Fail($"'{input}' is neither a file nor a folder.");
        }

        var outputRoot = Path.GetFullPath(output);
        var quarantineRoot = quarantine is null ? Path.TrimEndingDirectorySeparator(outputRoot) + "-quarantine" : Path.GetFullPath(quarantine);
        if (journalFile is not null && Path.GetFullPath(journalFile).StartsWith(outputRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return Fail("the re-identification journal holds personal data: write it outside OUT.");
        }

        // a rerun would otherwise read the outputs of the last run as inputs and de-identify them again
        if (Directory.Exists(input) && Path.TrimEndingDirectorySeparator(Path.GetFullPath(input)) is var inputRoot)
        {
            foreach (var (name, root) in new[] { ("OUT", outputRoot), ("the quarantine folder", quarantineRoot) })
            {
                if (IsSameOrInside(root, inputRoot))
                {
                    return Fail($"{name} ({root}) is inside the input folder {inputRoot}: a rerun would read its own outputs as inputs; " +
                                "choose a folder outside IN.");
                }
            }
        }

        Directory.CreateDirectory(outputRoot);
        var candidates = File.Exists(input)
            ? [Path.GetFullPath(input)]
            : Directory.EnumerateFiles(Path.GetFullPath(input), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        // a DICOMDIR is an index of the export, not an instance: ignored, as are files that turn out not to be DICOM
        var files = candidates.Where(f => !DeidentificationInputs.IsMediaDirectory(f)).ToArray();
        var ignored = candidates.Length - files.Length;

        using var journal = journalFile is null ? null : new ReidentificationJournal(journalFile);
        var receiptsPath = receiptsFile ?? Path.Combine(outputRoot, "receipts.jsonl");
        var receipted = ReceiptedOutputs(receiptsPath);
        DeidentificationEngine engine;
        try
        {
            // a rerun after a crash writes the receipts of outputs named just before it
            engine = new DeidentificationEngine(key, policy) { Journal = journal, IsReceiptMissing = path => !receipted.Contains(path) };
        }
        catch (PlatformNotSupportedException e)
        {
            return Fail(e.Message);
        }

        using var receipts = new ReceiptWriter(receiptsPath);
        var failures = new ConcurrentQueue<DeidentificationResult>();
        var notes = new ConcurrentQueue<string>(); // duplicates skipped, and what was made up for written inputs
        int done = 0, deidentified = 0, quarantined = 0, skipped = 0, duplicates = 0;

        void ProcessAll(Action? onFile)
        {
            var threads = Math.Clamp(parallelism ?? Environment.ProcessorCount, 1, Environment.ProcessorCount * 4);
            engine.DeidentifyFiles(files, outputRoot, result =>
            {
                switch (result.Status)
                {
                    case DeidentificationStatus.Deidentified:
                        Interlocked.Increment(ref deidentified);
                        break;
                    case DeidentificationStatus.Quarantined:
                        Interlocked.Increment(ref quarantined);
                        break;
                    case DeidentificationStatus.Skipped when result.Reason is not null:
                        Interlocked.Increment(ref duplicates);
                        notes.Enqueue($"skipped: {result.SourcePath}: {result.Reason}");
                        break;
                    case DeidentificationStatus.Skipped:
                        Interlocked.Increment(ref skipped);
                        break;
                    case DeidentificationStatus.Failed when DeidentificationInputs.IsNotDicom(result):
                        Interlocked.Increment(ref ignored);
                        break;
                    default:
                        failures.Enqueue(result);
                        break;
                }

                foreach (var diagnostic in result.Diagnostics)
                {
                    notes.Enqueue($"note: {result.SourcePath}: {diagnostic}");
                }

                if (result.Receipt is not null)
                {
                    receipts.Write(result.Receipt);
                }

                Interlocked.Increment(ref done);
                onFile?.Invoke();
            }, quarantineRoot, threads, cancellationToken);
        }

        try
        {
            if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive && files.Length > 1)
            {
                AnsiConsole.Progress()
                    .AutoClear(true)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask("de-identifying", maxValue: files.Length);
                        ProcessAll(() => task.Value = Volatile.Read(ref done));
                    });
            }
            else
            {
                ProcessAll(null);
            }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled: outputs written so far are complete; rerun to finish (done files are skipped).");
            return 130;
        }

        foreach (var note in notes.Order(StringComparer.Ordinal))
        {
            Console.Error.WriteLine(note);
        }

        foreach (var failure in failures.OrderBy(f => f.SourcePath, StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"failed: {failure.SourcePath}: {failure.Reason}");
        }

        if (duplicates > 0)
        {
            Console.WriteLine($"skipped {duplicates} files that duplicate an earlier input");
        }

        if (skipped > 0)
        {
            Console.WriteLine($"skipped {skipped} files already de-identified in {outputRoot}");
        }

        if (ignored > 0)
        {
            Console.WriteLine(ignored == 1
                ? "ignored 1 file that is not a DICOM instance (DICOMDIR, or no DICM prefix and not readable as DICOM)"
                : $"ignored {ignored} files that are not DICOM instances (DICOMDIR, or no DICM prefix and not readable as DICOM)");
        }

        if (quarantined > 0)
        {
            Console.WriteLine($"quarantined {quarantined} files (possible burned-in text) in {quarantineRoot}; " +
                              $"why each one: the quarantineReason of its receipt in {receiptsPath}");
        }

        Console.WriteLine($"receipts: {receiptsPath}");

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"deidentified {deidentified} files ({quarantined} quarantined, {failures.Count} failed) in {stopwatch.Elapsed.TotalSeconds:0.00} s"));
        return failures.IsEmpty ? 0 : 1;
    }

    /// <summary>The output paths an existing receipts file records; a line cut short by a crash records none.</summary>
    private static HashSet<string> ReceiptedOutputs(string receiptsPath)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(receiptsPath))
        {
            return paths;
        }

        foreach (var line in File.ReadLines(receiptsPath))
        {
            try
            {
                paths.Add(DeidentificationReceipt.FromJsonLine(line).OutputPath);
            }
            catch (JsonException)
            {
                // the line being written when a run was killed
            }
        }

        return paths;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies under it.</summary>
    private static bool IsSameOrInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    /// <summary>Reports a usage error (a refused argument or option) and returns its exit code, 2.</summary>
    private static int Fail(string message)
    {
        Console.Error.WriteLine("deid: " + message);
        return 2;
    }
}
