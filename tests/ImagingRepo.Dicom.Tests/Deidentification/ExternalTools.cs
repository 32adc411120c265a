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
        var (exitCode, stdout, stderr) = ProcessRunner.Run(tool, arguments);
        return (exitCode, stdout + stderr);
    }
}
