using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Tracing.Tests;

public sealed class TraceStoreBuilderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_built_store_records_anchors_and_verifies_and_closes_what_it_owns()
    {
        var store = await new TraceStoreBuilder()
            .UsePseudonymizer(TestTraces.Pseudonymizer)
            .UseSqliteOutbox(_temp.File("traces.db"), o => o.FlushEveryCommit = false)
            .UseFileLedger(_temp.File("traces.ledger.jsonl"))
            .UseDispatcherOptions(new TraceDispatcherOptions { MaxBatchSize = 2 })
            .BuildAsync();
        var traces = Enumerable.Range(0, 3).Select(i => TestTraces.Create("ds-" + i)).ToList();
        foreach (var trace in traces) await store.Outbox.RecordAsync(trace);
        await store.Dispatcher.FlushAsync();

        Assert.Equal(2, ((FileTraceLedger)store.Ledger).Count); // 2 + 1: the dispatcher options were applied
        foreach (var trace in traces) Assert.Equal(TraceVerificationStatus.Anchored, (await store.Verifier.VerifyAsync(trace)).Status);

        await store.DisposeAsync();
        await store.DisposeAsync(); // twice is harmless
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.Outbox.RecordAsync(TestTraces.Create("late")));
    }

    [Fact]
    public async Task A_store_may_hold_only_an_outbox_or_only_a_ledger_not_nothing()
    {
        await using (var reading = await new TraceStoreBuilder().UseSqliteOutbox(_temp.File("traces.db")).BuildAsync())
        {
            Assert.True(reading.HasOutbox);
            Assert.False(reading.HasLedger);
            Assert.Throws<InvalidOperationException>(() => reading.Ledger);
            Assert.Throws<InvalidOperationException>(() => reading.Dispatcher);
        }

        await using (var checking = await new TraceStoreBuilder().UseFileLedger(_temp.File("traces.ledger.jsonl")).BuildAsync())
        {
            Assert.False(checking.HasOutbox);
            Assert.Throws<InvalidOperationException>(() => checking.Outbox);
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => new TraceStoreBuilder().BuildAsync());
    }

    [Fact]
    public async Task The_outbox_is_closed_again_when_the_ledger_fails_to_open()
    {
        TraceOutbox? opened = null;
        var builder = new TraceStoreBuilder()
            .UseOutbox(async (b, ct) => opened = await SqliteTraceOutbox.OpenAsync(_temp.File("traces.db"), b.ApplyTo(new SqliteTraceOutboxOptions()), ct))
            .UseLedger((_, _) => Task.FromException<ITraceLedger>(new LedgerException("node down", isTransient: true)));
        await Assert.ThrowsAsync<LedgerException>(() => builder.BuildAsync());
        Assert.NotNull(opened);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => opened.RecordAsync(TestTraces.Create("ds")));
    }

    [Fact]
    public async Task The_builders_clock_reaches_the_outbox_and_leaves_the_callers_dispatcher_options_alone()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_123_000));
        var dispatcherOptions = new TraceDispatcherOptions();
        await using var store = await new TraceStoreBuilder().UsePseudonymizer(TestTraces.Pseudonymizer).UseTimeProvider(clock)
            .UseSqliteOutbox(_temp.File("clock.db")).UseFileLedger(_temp.File("clock.jsonl")).UseDispatcherOptions(dispatcherOptions).BuildAsync();
        var trace = TestTraces.Create("ds-clock");
        await store.Outbox.RecordAsync(trace);
        Assert.Equal(1_700_000_123_000, (await store.Outbox.GetAsync(trace.Id))!.RecordedAt);
        Assert.Same(TimeProvider.System, dispatcherOptions.TimeProvider);
    }

    [Fact]
    public async Task The_builders_pseudonymizer_reaches_the_outbox()
    {
        await using (var keyed = await new TraceStoreBuilder().UsePseudonymizationKey(TestTraces.Key).UseSqliteOutbox(_temp.File("a.db")).BuildAsync())
        {
            var trace = TestTraces.Create("ds");
            await keyed.Outbox.RecordAsync(trace);
            Assert.Equal(TestTraces.Pseudonymizer.Pseudonymize(TestTraces.Email), (await keyed.Outbox.GetAsync(trace.Id))!.Trace.UserId);
        }

        await using var unkeyed = await new TraceStoreBuilder().UseSqliteOutbox(_temp.File("b.db")).BuildAsync();
        await Assert.ThrowsAsync<ImagingRepo.Tracing.Model.TraceFormatException>(() => unkeyed.Outbox.RecordAsync(TestTraces.Create("ds")));
    }
}
