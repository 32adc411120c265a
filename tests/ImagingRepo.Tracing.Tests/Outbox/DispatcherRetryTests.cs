using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ImagingRepo.Tracing.Tests.Outbox;

/// <summary>The dispatcher's back-off runs on the options' clock: no retry happens until that clock has moved.</summary>
public sealed class DispatcherRetryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task An_unreachable_ledger_is_retried_after_the_back_off_on_the_configured_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        await using var outbox = await SqliteTraceOutbox.OpenAsync(_temp.File("outbox.db"),
            new SqliteTraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer, TimeProvider = time });
        using var file = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        var ledger = new FlakyLedger(file, failures: 1);
        var trace = TestTraces.Create("ds-retry");
        await outbox.RecordAsync(trace);

        await using var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions
        {
            Window = TimeSpan.Zero, RetryDelay = TimeSpan.FromHours(1), MaxRetryDelay = TimeSpan.FromHours(2), TimeProvider = time,
        });
        dispatcher.Start();
        for (var i = 0; i < 500 && dispatcher.LastError is null; i++) await Task.Delay(10);
        Assert.Equal("node down", dispatcher.LastError);

        // The back-off waits on the fake clock: however long the test waits, nothing is tried again.
        await Task.Delay(200);
        Assert.Equal(1, ledger.Prepares);
        Assert.Equal(TraceStatus.Submitted, (await outbox.GetAsync(trace.Id))!.Status);

        time.Advance(TimeSpan.FromHours(2)); // the longest the jittered delay can be
        for (var i = 0; i < 500 && (await outbox.GetAsync(trace.Id))!.Status != TraceStatus.Anchored; i++) await Task.Delay(10);
        Assert.Equal(TraceStatus.Anchored, (await outbox.GetAsync(trace.Id))!.Status);
        Assert.Equal(2, ledger.Prepares);
    }

    /// <summary>A ledger that cannot be reached for its first <c>failures</c> preparations.</summary>
    private sealed class FlakyLedger(ITraceLedger inner, int failures) : ITraceLedger
    {
        private int _prepares;

        public int Prepares => Volatile.Read(ref _prepares);

        public string Description => inner.Description;

        public Task<LedgerTicket> PrepareAsync(LedgerBatch batch, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _prepares) <= failures
                ? throw new LedgerException("node down", isTransient: true)
                : inner.PrepareAsync(batch, cancellationToken);

        public Task SendAsync(LedgerTicket ticket, CancellationToken cancellationToken = default) => inner.SendAsync(ticket, cancellationToken);

        public Task<LedgerAnchor?> GetAnchorAsync(LedgerBatch batch, LedgerTicket? ticket, CancellationToken cancellationToken = default) =>
            inner.GetAnchorAsync(batch, ticket, cancellationToken);

        public Task<LedgerAnchor?> FindRootAsync(ReadOnlyMemory<byte> root, CancellationToken cancellationToken = default) => inner.FindRootAsync(root, cancellationToken);

        public IAsyncEnumerable<LedgerTraceEntry> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
