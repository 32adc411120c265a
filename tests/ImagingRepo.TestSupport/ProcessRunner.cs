using System.Diagnostics;

namespace ImagingRepo.TestSupport;

/// <summary>Runs a program to its end for a test, with both output streams captured and a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/>; kills it and throws after two minutes.</summary>
    /// <returns>The exit code and what it wrote to standard output and standard error.</returns>
    /// <exception cref="TimeoutException">The program did not end within two minutes.</exception>
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
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
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not end within 2 minutes");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
