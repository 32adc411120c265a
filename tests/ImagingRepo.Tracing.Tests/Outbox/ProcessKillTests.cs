using System.Diagnostics;
using ImagingRepo.Tracing.Outbox;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Tracing.Tests.Outbox;

public sealed class ProcessKillTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task Every_trace_whose_record_returned_survives_a_kill_of_the_process()
    {
        const int total = 10_000;
        var db = _temp.File("outbox.db");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(typeof(RecordingHost).Assembly.Location);
        start.ArgumentList.Add("record-host");
        start.ArgumentList.Add(db);
        start.ArgumentList.Add(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;

        var acknowledged = new List<Guid>();
        var killAfter = Random.Shared.Next(1_000, 4_000);
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            acknowledged.Add(Guid.Parse(line));
            if (acknowledged.Count == killAfter)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no flush, no dispose, mid-commit
                break;
            }
        }

        await process.WaitForExitAsync();
        Assert.True(acknowledged.Count == killAfter,
            $"the host printed only {acknowledged.Count} ids (exit {process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");

        await using var outbox = await SqliteTraceOutbox.OpenAsync(db, new SqliteTraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });
        var counts = await outbox.CountAsync();
        Assert.True(counts.Total >= acknowledged.Count, $"{counts.Total} stored < {acknowledged.Count} acknowledged");
        Assert.True(counts.Total < total, "the process should have been killed before it finished");
        foreach (var id in acknowledged)
        {
            var record = await outbox.GetAsync(id);
            Assert.True(record is not null, $"trace {id} was acknowledged but is missing after the kill");
        }
    }
}
