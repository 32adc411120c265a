using System.Diagnostics;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Dicom.Tests.Deidentification;

/// <summary>Runs the reference DICOM tools (dcmtk, dicom3tools, pydicom) the validity tests compare against.</summary>
internal static class ExternalTools
{
    public static string Require(string name, string package)
    {
        // the distribution's tools first: python3-pydicom lives with /usr/bin/python3, not with a pyenv python on PATH
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Prepend("/usr/bin"))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return TestEnvironment.Unavailable<string>($"{name} ({package})");
    }

    public static (int ExitCode, string Output) Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish in 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
