using System.Diagnostics;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// Crash safety with real processes: a service process killed with SIGKILL in the middle of a creation — while reading
/// the lake, and again after recording the trace but before finishing — and started again finishes the operation with
/// exactly one CREATE_DATASET trace.
/// </summary>
public sealed class CreationCrashTests(CreationLake lake) : IClassFixture<CreationLake>
{
    [Fact]
    public async Task A_creation_killed_twice_mid_run_finishes_after_a_restart_with_exactly_one_trace()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGKILL semantics
        var site = new CreationSite(lake.LakePath, lake.NewFolder("datasets"), lake.NewFolder("state"));
        var store = await site.OpenStoreAsync();
        var request = lake.Request();
        await store.EnqueueAsync(request);

        await RunAndKillAsync(site, CreationChildProcess.HangOnRead, request.DatasetId, "reading");
        var afterFirst = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Running, 1), (afterFirst.Status, afterFirst.Attempts));
        Assert.Null(afterFirst.Result);
        Assert.Empty(await site.TracesAsync(request.DatasetId));

        await RunAndKillAsync(site, CreationChildProcess.HangAfterRecord, request.DatasetId, "recorded");
        var afterSecond = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Running, 2), (afterSecond.Status, afterSecond.Attempts));
        Assert.NotNull(afterSecond.TraceId);
        Assert.Equal(afterSecond.TraceId, Assert.Single(await site.TracesAsync(request.DatasetId)).Trace.Id);

        var (exitCode, output) = await RunAsync(site, CreationChildProcess.UntilDone, request.DatasetId);

        Assert.True(exitCode == 0, output);
        var state = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Finished, 3), (state.Status, state.Attempts));
        var trace = Assert.IsType<CreateDatasetTrace>(Assert.Single(await site.TracesAsync(request.DatasetId)).Trace);
        Assert.Equal(afterSecond.TraceId, trace.Id);
        var tree = await DatasetHasher.ComputeAsync(Path.Combine(site.DatasetsPath, request.DatasetId));
        Assert.Equal(Convert.ToBase64String(tree.Images), trace.TraceResources.Single(r => r.Id == "images").ContentHash);
        Assert.Equal(Convert.ToBase64String(tree.Index!), trace.TraceResources.Single(r => r.Id == "index").ContentHash);
        Assert.Equal([request.DatasetId], Directory.GetFileSystemEntries(site.DatasetsPath).Select(Path.GetFileName));
    }

    private static ProcessStartInfo Child(CreationSite site, string mode, string datasetId)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "exec", typeof(CreationChildProcess).Assembly.Location, CreationChildProcess.Command,
                     site.LakePath, site.DatasetsPath, site.StateFolder, mode, datasetId })
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static async Task RunAndKillAsync(CreationSite site, string mode, string datasetId, string marker)
    {
        var markerPath = Path.Combine(site.StateFolder, marker);
        using var process = Process.Start(Child(site, mode, datasetId))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!File.Exists(markerPath))
        {
            if (process.HasExited) Assert.Fail($"the child exited ({process.ExitCode}) before \"{marker}\": {await output}{await errors}");
            await Task.Delay(50, timeout.Token);
        }

        process.Kill(); // SIGKILL: no shutdown, no release, the claim lapses on its own
        await process.WaitForExitAsync(timeout.Token);
        File.Delete(markerPath);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(CreationSite site, string mode, string datasetId)
    {
        using var process = Process.Start(Child(site, mode, datasetId))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}
