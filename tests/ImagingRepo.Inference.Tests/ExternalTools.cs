using ImagingRepo.TestSupport;

namespace ImagingRepo.Inference.Tests;

/// <summary>The reference tools the output tests check against: dciodvfy (dicom3tools) and pydicom (python3-pydicom).</summary>
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

    /// <summary>dciodvfy's errors for a file (its warnings are returned apart).</summary>
    public static (List<string> Errors, List<string> Warnings) Dciodvfy(string file)
    {
        var tool = Require("dciodvfy", "dicom3tools");
        var (_, stdout, stderr) = ProcessRunner.Run(tool, file);
        var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ([.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))], [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))]);
    }

    /// <summary>Runs a Python snippet with pydicom and numpy; returns its standard output, failing the test on a non-zero exit.</summary>
    public static string Python(string script, params string[] arguments)
    {
        var python = Require("python3", "python3-pydicom");
        var (exitCode, stdout, stderr) = ProcessRunner.Run(python, ["-c", script, .. arguments]);
        Assert.True(exitCode == 0, $"python failed ({exitCode}): {stderr}");
        return stdout;
    }
}
