using ImagingRepo.TestSupport;

namespace ImagingRepo.Dicom.Tests;

/// <summary>The shared corpus and its manifest (which files dcmdump parses, which are broken on purpose).</summary>
internal static class CorpusFiles
{
    public sealed record Entry(string Name, string Path, bool DcmdumpOk, string TransferSyntax, string Malformation);

    public static IReadOnlyList<Entry> Load()
    {
        var folder = TestEnvironment.RequireDicomCorpus();
        var lines = File.ReadAllLines(System.IO.Path.Combine(folder, "MANIFEST.tsv"));
        var header = lines[0].Split('\t');
        int Column(string name) => Array.IndexOf(header, name);
        var file = Column("file");
        var ok = Column("dcmdump_ok");
        var syntax = Column("transfer_syntax");
        var malformed = Column("malformed_or_nonconformant");
        return lines.Skip(1)
            .Select(line => line.Split('\t'))
            .Select(cells => new Entry(cells[file], System.IO.Path.Combine(folder, cells[file]), cells[ok].StartsWith('Y'), cells[syntax], cells[malformed]))
            .ToList();
    }

    /// <summary>Runs a tool and returns its exit code and standard output bytes (null when the tool is not installed).</summary>
    public static (int ExitCode, byte[] Output, string Error)? Run(string tool, params string[] arguments)
    {
        var info = new System.Diagnostics.ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(info)!;
            var output = new MemoryStream();
            var errorTask = process.StandardError.ReadToEndAsync();
            process.StandardOutput.BaseStream.CopyTo(output);
            process.WaitForExit();
            return (process.ExitCode, output.ToArray(), errorTask.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static string RequireTool(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return TestEnvironment.Unavailable<string>($"the peer tool '{tool}'");
    }
}
