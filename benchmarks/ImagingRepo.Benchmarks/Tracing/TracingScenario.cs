using System.Diagnostics;
using System.Globalization;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Benchmarks.Tracing;

/// <summary>
/// <c>tracing</c>: the whole recording and anchoring path against a real Hardhat node (<c>IMAGINGREPO_ETH_RPC</c>).
/// 1. durable recording: 64 concurrent callers, SQLite WAL with synchronous=FULL, each call returning after its
///    group commit; 2. anchoring throughput, one transaction per trace vs batches, side by side on the same node;
/// 3. record-to-anchored latency with a 1 s window under a steady load. Last line:
/// <c>tracing: record=N/s anchored=M/s batched/unbatched=R p50=Ts</c>.
/// Options: <c>--sync-normal</c> (synchronous=NORMAL instead of FULL), <c>--record-only</c>, <c>--records N</c> (20000), <c>--unbatched N</c> (300), <c>--batched N</c> (20000), <c>--batch-size N</c> (500),
/// <c>--gas-limit N</c> (fixed gas per transaction instead of estimating; both modes).
/// </summary>
internal static class TracingScenario
{
    // Hardhat's publicly known development account #9 (not a secret; the tests use #7 and #8).
    private const string DevKey = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";
    private const long HardhatChainId = 31337;

    public static async Task<int> RunAsync(string[] args)
    {
        var records = Arg(args, "--records", 20_000);
        var unbatched = Arg(args, "--unbatched", 300);
        var batched = Arg(args, "--batched", 20_000);
        var batchSize = Arg(args, "--batch-size", 500);
        var flushEveryCommit = !args.Contains("--sync-normal");
        var gasLimit = Arg(args, "--gas-limit", 0);
        var rpc = Environment.GetEnvironmentVariable("IMAGINGREPO_ETH_RPC");
        if (string.IsNullOrEmpty(rpc))
        {
            Console.Error.WriteLine("tracing: IMAGINGREPO_ETH_RPC is not set; start a node with scripts/services/hardhat.sh start");
            return 2;
        }

        var work = Path.Combine(Path.GetTempPath(), "imagingrepo-bench-tracing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var pseudonymizer = new UserPseudonymizer(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        try
        {
            var recordRate = await MeasureRecordingAsync(Path.Combine(work, "record.db"), pseudonymizer, records, flushEveryCommit).ConfigureAwait(false);
            Console.WriteLine($"durable recording (synchronous={(flushEveryCommit ? "FULL" : "NORMAL")}): {records} traces, 64 callers: {recordRate:F0} traces/s");
            if (args.Contains("--record-only")) return 0;

            var (address, block) = await EthereumTraceLedger.DeployAsync(new Uri(rpc), HardhatChainId, DevKey).ConfigureAwait(false);
            var ledger = new EthereumTraceLedger(new EthereumTraceLedgerOptions
            {
                RpcUrl = new Uri(rpc), ChainId = HardhatChainId, PrivateKey = DevKey, ContractAddress = address, DeploymentBlock = block,
                GasLimit = gasLimit > 0 ? gasLimit : null,
            });
            var single = await MeasureAnchoringAsync(Path.Combine(work, "single.db"), pseudonymizer, ledger, unbatched, 1).ConfigureAwait(false);
            Console.WriteLine($"anchoring, one transaction per trace: {unbatched} traces: {single:F1} traces/s");
            var many = await MeasureAnchoringAsync(Path.Combine(work, "batched.db"), pseudonymizer, ledger, batched, batchSize).ConfigureAwait(false);
            Console.WriteLine($"anchoring, batches of {batchSize}: {batched} traces: {many:F1} traces/s");

            var p50 = await MeasureLatencyAsync(Path.Combine(work, "latency.db"), pseudonymizer, ledger).ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tracing: record={recordRate:F0}/s anchored={many:F0}/s batched/unbatched={many / single:F1} p50={p50:F2}s"));
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<double> MeasureRecordingAsync(string db, UserPseudonymizer pseudonymizer, int count, bool flushEveryCommit)
    {
        await using var outbox = await SqliteTraceOutbox.OpenAsync(db, new SqliteTraceOutboxOptions { Pseudonymizer = pseudonymizer, FlushEveryCommit = flushEveryCommit }).ConfigureAwait(false);
        await RecordAsync(outbox, 1_000, 64).ConfigureAwait(false); // warm-up (JIT, page cache)
        var watch = Stopwatch.StartNew();
        await RecordAsync(outbox, count, 64).ConfigureAwait(false);
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task RecordAsync(TraceOutbox outbox, int count, int callers)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                await outbox.RecordAsync(NewTrace(next)).ConfigureAwait(false);
            }
        }))).ConfigureAwait(false);
    }

    private static async Task<double> MeasureAnchoringAsync(string db, UserPseudonymizer pseudonymizer, ITraceLedger ledger, int count, int batchSize)
    {
        await using var outbox = await SqliteTraceOutbox.OpenAsync(db, new SqliteTraceOutboxOptions { Pseudonymizer = pseudonymizer }).ConfigureAwait(false);
        await RecordAsync(outbox, count, 64).ConfigureAwait(false);
        await using var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions { MaxBatchSize = batchSize });
        var watch = Stopwatch.StartNew();
        await dispatcher.FlushAsync().ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalSeconds;
        var counts = await outbox.CountAsync().ConfigureAwait(false);
        if (counts.Anchored != count) throw new InvalidOperationException($"only {counts.Anchored} of {count} traces anchored ({counts.Failed} failed)");
        return count / elapsed;
    }

    private static async Task<double> MeasureLatencyAsync(string db, UserPseudonymizer pseudonymizer, ITraceLedger ledger)
    {
        const int perSecond = 200;
        const int seconds = 6;
        await using var outbox = await SqliteTraceOutbox.OpenAsync(db, new SqliteTraceOutboxOptions { Pseudonymizer = pseudonymizer }).ConfigureAwait(false);
        await using var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions { Window = TimeSpan.FromSeconds(1), MaxBatchSize = 500 });
        dispatcher.Start();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < perSecond * seconds; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / perSecond);
            if (due > watch.Elapsed) await Task.Delay(due - watch.Elapsed).ConfigureAwait(false);
            await outbox.RecordAsync(NewTrace(i)).ConfigureAwait(false);
        }

        var total = perSecond * seconds;
        for (var i = 0; i < 600 && (await outbox.CountAsync().ConfigureAwait(false)).Anchored < total; i++) await Task.Delay(50).ConfigureAwait(false);
        var latencies = new List<long>(total);
        long after = 0;
        while (true)
        {
            var page = await outbox.ListAsync(new TraceListQuery(AfterSequence: after, Limit: 10_000)).ConfigureAwait(false);
            if (page.Count == 0) break;
            foreach (var r in page)
            {
                if (r.AnchoredAt is { } anchored) latencies.Add(anchored - r.RecordedAt);
            }

            after = page[^1].Sequence;
        }

        if (latencies.Count != total) throw new InvalidOperationException($"only {latencies.Count} of {total} traces anchored");
        latencies.Sort();
        return latencies[latencies.Count / 2] / 1000.0;
    }

    private static UseDatasetsTrace NewTrace(int i) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "benchmark",
        Timestamp = 1_700_000_000_000 + i,
        UserId = "user" + (i % 100).ToString(CultureInfo.InvariantCulture) + "@example.org",
        DatasetsIds = ["dataset-" + (i % 10).ToString(CultureInfo.InvariantCulture)],
        Tool = new TraceTool("benchmark", "1.0"),
    };

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
