using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Tracing.Tests.DependencyInjection;

public sealed class TracingServiceCollectionExtensionsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task Host_records_and_its_dispatcher_anchors_on_the_file_ledger()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddImagingRepoTracing(o =>
        {
            o.SqlitePath = _temp.File("traces.db");
            o.FileLedgerPath = _temp.File("ledger.jsonl");
            o.PseudonymizationKey = Convert.ToBase64String(TestTraces.Key);
            o.Dispatcher.Window = TimeSpan.FromMilliseconds(50);
            o.Dispatcher.PollInterval = TimeSpan.FromMilliseconds(20);
        });
        using var host = builder.Build();
        await host.StartAsync();
        var outbox = host.Services.GetRequiredService<TraceOutbox>();
        var trace = TestTraces.Create("ds-di");
        await outbox.RecordAsync(trace);
        for (var i = 0; i < 200 && (await outbox.GetAsync(trace.Id))!.Status != TraceStatus.Anchored; i++) await Task.Delay(25);
        var verification = await host.Services.GetRequiredService<TraceVerifier>().VerifyAsync(trace);
        Assert.Equal(TraceVerificationStatus.Anchored, verification.Status);
        await host.StopAsync();
        await outbox.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_or_short_pseudonymization_key_fails_at_start()
    {
        foreach (var key in new string?[] { null, Convert.ToBase64String(new byte[8]) })
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddImagingRepoTracing(o =>
            {
                o.SqlitePath = _temp.File("x.db");
                o.PseudonymizationKey = key;
            });
            using var host = builder.Build();
            await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        }
    }
}
