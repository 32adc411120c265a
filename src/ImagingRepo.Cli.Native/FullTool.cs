using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ImagingRepo.Cli;

/// <summary>
/// The full (JIT) imagingrepo that the native front hands its other commands to: <c>managed/imagingrepo</c> beside
/// the front. On Linux the front replaces itself with it (execv), so signals, standard streams and the exit status
/// are the full tool's own; elsewhere it runs it as a child and returns its exit status.
/// </summary>
internal static partial class FullTool
{
    /// <summary>Where the full tool is, relative to the native front's folder.</summary>
    private static readonly string RelativePath = Path.Combine("managed", OperatingSystem.IsWindows() ? "imagingrepo.exe" : "imagingrepo");

    /// <summary>Runs the full tool with <paramref name="args"/>; returns its exit status (returns only on failure on Linux).</summary>
    public static int Run(string[] args)
    {
        var path = Path.Combine(AppContext.BaseDirectory, RelativePath);
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"imagingrepo: the full tool is missing at {path}: publish with scripts/publish-cli.sh, which puts it there.");
            return 2;
        }

        if (OperatingSystem.IsLinux())
        {
            var argv = new string?[args.Length + 2];
            argv[0] = path;
            args.CopyTo(argv, 1);
            Execv(path, argv);
            Console.Error.WriteLine($"imagingrepo: cannot start the full tool at {path}: {Marshal.GetLastPInvokeErrorMessage()}");
            return 2;
        }

        var start = new ProcessStartInfo(path) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>execv(2): argv ends with a null entry.</summary>
    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
