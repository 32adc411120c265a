using System.Diagnostics;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Tracing.Tests.Proofs;

/// <summary>Runs eng/verify-trace-proof.py, the documented offline check that needs no ImagingRepo code.</summary>
internal static class OfflineVerifier
{
    public static async Task<int> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(TestEnvironment.RepositoryRoot, "eng", "verify-trace-proof.py"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode is 0 or 1, $"verify-trace-proof.py failed ({process.ExitCode}): {output}{error}");
        return process.ExitCode;
    }
}
