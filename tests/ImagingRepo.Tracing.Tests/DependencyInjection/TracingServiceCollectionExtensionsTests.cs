using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Ledgers;
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
        var store = await host.Services.GetRequiredService<TraceStoreProvider>().GetStoreAsync();
        var trace = TestTraces.Create("ds-di");
        await store.Outbox.RecordAsync(trace);
        for (var i = 0; i < 200 && (await store.Outbox.GetAsync(trace.Id))!.Status != TraceStatus.Anchored; i++) await Task.Delay(25);
        var verification = await store.Verifier.VerifyAsync(trace);
        Assert.Equal(TraceVerificationStatus.Anchored, verification.Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_store_opens_on_the_first_await_once_for_all_callers_and_closes_with_the_container()
    {
        var services = new ServiceCollection();
        services.AddImagingRepoTracing(o =>
        {
            o.SqlitePath = _temp.File("lazy.db");
            o.FileLedgerPath = _temp.File("lazy.jsonl");
            o.PseudonymizationKey = Convert.ToBase64String(TestTraces.Key);
        });
        TraceStore store;
        await using (var provider = services.BuildServiceProvider())
        {
            var stores = provider.GetRequiredService<TraceStoreProvider>();
            Assert.False(File.Exists(_temp.File("lazy.db"))); // resolving opens nothing, and never blocks on opening
            var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => stores.GetStoreAsync().AsTask()));
            store = opened[0];
            Assert.All(opened, s => Assert.Same(store, s));
            Assert.True(File.Exists(_temp.File("lazy.db")));
            await store.Outbox.RecordAsync(TestTraces.Create("ds-lazy"));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.Outbox.RecordAsync(TestTraces.Create("ds-lazy")));
    }

    [Fact]
    public async Task A_store_that_failed_to_open_is_opened_again_by_the_next_caller()
    {
        var ledgerPath = _temp.File("broken.jsonl");
        await using (var first = await new TraceStoreBuilder().UsePseudonymizer(TestTraces.Pseudonymizer)
                         .UseSqliteOutbox(_temp.File("first.db")).UseFileLedger(ledgerPath).BuildAsync())
        {
            await first.Outbox.RecordAsync(TestTraces.Create("ds-first"));
            await first.Dispatcher.FlushAsync();
        }

        var record = await File.ReadAllTextAsync(ledgerPath);
        await File.WriteAllTextAsync(ledgerPath, record.Replace("ds-first", "ds-other", StringComparison.Ordinal)
            .Replace("\"root\":\"", "\"root\":\"0", StringComparison.Ordinal)); // an edited record
        var services = new ServiceCollection();
        services.AddImagingRepoTracing(o =>
        {
            o.SqlitePath = _temp.File("retry.db");
            o.FileLedgerPath = ledgerPath;
            o.PseudonymizationKey = Convert.ToBase64String(TestTraces.Key);
        });
        await using var provider = services.BuildServiceProvider();
        var stores = provider.GetRequiredService<TraceStoreProvider>();
        await Assert.ThrowsAsync<LedgerTamperedException>(() => stores.GetStoreAsync().AsTask());
        File.Delete(ledgerPath);
        var store = await stores.GetStoreAsync();
        Assert.True(store.HasLedger);
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
        builder.Services.AddImagingRepoTracingEthereum(builder.Configuration.GetSection(EthereumTracingServiceCollectionExtensions.SectionName));
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var options = host.Services.GetRequiredService<IOptions<TracingOptions>>().Value;
            Assert.Equal((7, TimeSpan.FromSeconds(3)), (options.Dispatcher.MaxBatchSize, options.Dispatcher.MaxRetryDelay));
            var ethereum = host.Services.GetRequiredService<IOptions<EthereumTraceLedgerOptions>>().Value;
            Assert.Equal((new Uri("http://127.0.0.1:8545"), TimeSpan.FromSeconds(20)), (ethereum.RpcUrl, ethereum.ReceiptTimeout));
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
