using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImagingRepo.Dicom;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo dump PATH...</c>: a dcmdump-like listing of every DICOM file under the given paths.</summary>
internal static class DumpCommand
{
    // Files are dumped in parallel a batch at a time and printed in order, so memory stays bounded by one batch.
    private const int BatchSize = 128;

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "DICOM files or folders (searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        var full = new Option<bool>("--full") { Description = "Print whole values instead of the first 64 characters / 16 numbers." };
        var strict = new Option<bool>("--strict") { Description = "Fail files with any malformation instead of reading them leniently." };
        var threads = new Option<int>("--threads")
        {
            Description = "Files read in parallel (default: the number of cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };

        var command = new Command("dump", "Print the elements of DICOM files (tag, VR, value or length, keyword; nesting shown).");
        command.Arguments.Add(paths);
        command.Options.Add(full);
        command.Options.Add(strict);
        command.Options.Add(threads);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(paths) ?? [],
            parseResult.GetValue(full),
            parseResult.GetValue(strict),
            Math.Max(1, parseResult.GetValue(threads))));
        return command;
    }

    private static int Run(string[] paths, bool full, bool strict, int threads)
    {
        var clock = Stopwatch.StartNew();
        var options = new DicomDumpOptions
        {
            MaxTextLength = full ? 0 : 64,
            MaxBinaryValues = full ? 0 : 16,
            ReadOptions = new DicomReadOptions { Strict = strict },
        };

        using var stdout = Console.OpenStandardOutput();
        using var stderr = Console.OpenStandardError();
        var files = new List<string>();
        var failed = 0;
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                Collect(path, files);
            }
            else
            {
                failed++;
                WriteLine(stderr, $"{path}: no such file or folder");
            }
        }

        var outputs = new ArrayBufferWriter<byte>[Math.Min(BatchSize, Math.Max(files.Count, 1))];
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i] = new ArrayBufferWriter<byte>(8192);
        }

        var errors = new string?[outputs.Length];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        for (var start = 0; start < files.Count; start += outputs.Length)
        {
            var count = Math.Min(outputs.Length, files.Count - start);
            var batchStart = start;
            Parallel.For(0, count, parallel, i =>
            {
                var output = outputs[i];
                output.ResetWrittenCount();
                errors[i] = null;
                try
                {
                    DicomDumper.DumpFile(files[batchStart + i], output, options);
                }
                catch (DicomReadException e)
                {
                    errors[i] = e.Message;
                }
            });

            for (var i = 0; i < count; i++)
            {
                stdout.Write(outputs[i].WrittenSpan);
                if (errors[i] is { } error)
                {
                    failed++;
                    WriteLine(stderr, error);
                }
            }
        }

        var seconds = clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        WriteLine(stdout, $"dumped {files.Count} files ({failed} failed) in {seconds} s");
        return failed > 0 ? 1 : 0;
    }

    private static void Collect(string folder, List<string> files)
    {
        var found = Directory.GetFiles(folder);
        Array.Sort(found, StringComparer.Ordinal);
        files.AddRange(found);
        var folders = Directory.GetDirectories(folder);
        Array.Sort(folders, StringComparer.Ordinal);
        foreach (var sub in folders)
        {
            Collect(sub, files);
        }
    }

    private static void WriteLine(Stream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text + "\n"));
    }
}
