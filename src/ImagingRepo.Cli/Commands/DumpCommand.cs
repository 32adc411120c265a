using System.Buffers;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ImagingRepo.Dicom;
using ImagingRepo.Dicom.IO;

namespace ImagingRepo.Cli.Commands;

/// <summary><c>imagingrepo dump PATH...</c>: a dcmdump-like listing of every DICOM file under the given paths.</summary>
internal static class DumpCommand
{
    // Workers take chunks of consecutive files; the main thread prints finished chunks in order. At most
    // ChunksInFlightPerThread chunks per worker wait to be printed, which bounds memory.
    private const int MaxChunkSize = 16;
    private const int ChunksInFlightPerThread = 4;

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

        var command = new Command("dump", "Print the elements of DICOM files (tag, VR, value or length, value multiplicity, keyword; nesting shown).")
        {
            paths,
            full,
            strict,
            threads,
        };
        command.SetAction(parseResult =>
        {
            using var stdout = Console.OpenStandardOutput();
            using var stderr = Console.OpenStandardError();
            return Run(
                parseResult.GetValue(paths) ?? [],
                parseResult.GetValue(full),
                parseResult.GetValue(strict),
                Math.Max(1, parseResult.GetValue(threads)),
                stdout,
                stderr);
        });
        return command;
    }

    /// <summary>Dumps the files under <paramref name="paths"/> to <paramref name="stdout"/>; failures go to <paramref name="stderr"/>.</summary>
    internal static int Run(string[] paths, bool full, bool strict, int threads, Stream stdout, Stream stderr)
    {
        var clock = Stopwatch.StartNew();
        var options = new DicomDumpOptions
        {
            MaxTextLength = full ? 0 : 64,
            MaxBinaryValues = full ? 0 : 16,
            ReadOptions = new DicomReadOptions { Strict = strict },
        };

        using var output = new BufferedStream(stdout, 1 << 20);
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

        var dumped = Dump(files, options, threads, output, stderr);
        failed += dumped;
        output.Flush();

        var seconds = clock.Elapsed.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        WriteLine(output, $"dumped {files.Count} files ({failed} failed) in {seconds} s");
        output.Flush();
        return failed > 0 ? 1 : 0;
    }

    /// <summary>Dumps the files in parallel and writes their listings in order; returns the number that failed.</summary>
    private static int Dump(List<string> files, DicomDumpOptions options, int threads, Stream output, Stream errors)
    {
        // Small chunks when there are few files, so that every worker gets some.
        var chunkSize = Math.Clamp(files.Count / (threads * 8), 1, MaxChunkSize);
        var chunks = (files.Count + chunkSize - 1) / chunkSize;
        // Chunks finish out of order on the workers and are written in order here; the gate bounds how many wait.
        // Plain threads and a monitor, not tasks: this loop is synchronous by nature and must not block on a task.
        var results = new Chunk?[chunks];
        var finished = new object();

        using var gate = new SemaphoreSlim(threads * ChunksInFlightPerThread);
        var spare = new System.Collections.Concurrent.ConcurrentBag<ArrayBufferWriter<byte>>();
        var next = -1;
        void Work()
        {
            while (true)
            {
                gate.Wait();
                var index = Interlocked.Increment(ref next);
                if (index >= chunks)
                {
                    gate.Release();
                    return;
                }

                var buffer = spare.TryTake(out var reused) ? reused : new ArrayBufferWriter<byte>(64 * 1024);
                buffer.ResetWrittenCount();
                List<string>? failures = null;
                var end = Math.Min(files.Count, (index + 1) * chunkSize);
                for (var f = index * chunkSize; f < end; f++)
                {
                    try
                    {
                        DicomDumper.DumpFile(files[f], buffer, options);
                    }
                    catch (DicomReadException e)
                    {
                        (failures ??= []).Add(e.Message);
                    }
                }

                lock (finished)
                {
                    results[index] = new Chunk(buffer, failures);
                    Monitor.PulseAll(finished);
                }
            }
        }

        var workers = new Thread[Math.Min(threads, Math.Max(chunks, 1))];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = "dump worker" };
            workers[i].Start();
        }

        var failed = 0;
        for (var i = 0; i < chunks; i++)
        {
            Chunk chunk;
            lock (finished)
            {
                while (results[i] is null)
                {
                    Monitor.Wait(finished);
                }

                chunk = results[i]!;
                results[i] = null;
            }

            output.Write(chunk.Output.WrittenSpan);
            if (chunk.Failures is { } failures)
            {
                failed += failures.Count;
                output.Flush();
                foreach (var failure in failures)
                {
                    WriteLine(errors, failure);
                }
            }

            spare.Add(chunk.Output);
            gate.Release();
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        return failed;
    }

    private sealed record Chunk(ArrayBufferWriter<byte> Output, List<string>? Failures);

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
