using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
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

    [Fact]
    public async Task Options_bind_from_the_configuration_section_and_are_validated_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImagingRepo:Tracing:SqlitePath"] = _temp.File("bound.db"),
            ["ImagingRepo:Tracing:FileLedgerPath"] = _temp.File("bound.jsonl"),
            ["ImagingRepo:Tracing:RunDispatcher"] = "false",
            ["ImagingRepo:Tracing:Dispatcher:MaxBatchSize"] = "7",
            ["ImagingRepo:Tracing:Dispatcher:MaxRetryDelay"] = "00:00:03",
            ["ImagingRepo:Tracing:Ethereum:RpcUrl"] = "http://127.0.0.1:8545",
            ["ImagingRepo:Tracing:Ethereum:ReceiptTimeout"] = "00:00:20",
        });
        builder.Services.AddImagingRepoTracing(builder.Configuration.GetSection(TracingOptions.SectionName),
            o => o.PseudonymizationKey = Convert.ToBase64String(TestTraces.Key)); // a secret, kept out of configuration
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var options = host.Services.GetRequiredService<IOptions<TracingOptions>>().Value;
            Assert.Equal((7, TimeSpan.FromSeconds(3)), (options.Dispatcher.MaxBatchSize, options.Dispatcher.MaxRetryDelay));
            Assert.Equal((new Uri("http://127.0.0.1:8545"), TimeSpan.FromSeconds(20)), (options.Ethereum!.RpcUrl, options.Ethereum.ReceiptTimeout));
            Assert.False(options.RunDispatcher);
            await host.StopAsync();
        }

        var unkeyed = Host.CreateApplicationBuilder();
        unkeyed.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ImagingRepo:Tracing:SqlitePath"] = _temp.File("x.db") });
        unkeyed.Services.AddImagingRepoTracing(unkeyed.Configuration.GetSection(TracingOptions.SectionName));
        using var failing = unkeyed.Build();
        await Assert.ThrowsAsync<OptionsValidationException>(() => failing.StartAsync());
    }
}
