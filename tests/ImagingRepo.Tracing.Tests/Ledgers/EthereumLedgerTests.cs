using System.Text;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Data.Sqlite;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace ImagingRepo.Tracing.Tests.Ledgers;

/// <summary>Against a real Hardhat node (<c>scripts/services/hardhat.sh</c>); each test deploys its own contract.</summary>
public sealed class EthereumLedgerTests : IClassFixture<HardhatServer>, IDisposable
{
    // Hardhat's publicly known development accounts #7 and #8 (funded on every dev node; not secrets).
    internal const string AnchorKey = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";
    internal const string OutsiderKey = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97";
    internal const long ChainId = 31337;

    private readonly HardhatServer _hardhat;
    private readonly TempDirectory _temp = new();

    public EthereumLedgerTests(HardhatServer hardhat) => _hardhat = hardhat;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private Uri Rpc => new(_hardhat.RpcUrl);

    private async Task<EthereumTraceLedgerOptions> DeployAsync()
    {
        var (address, block) = await EthereumTraceLedger.DeployAsync(Rpc, ChainId, AnchorKey);
        return new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = ChainId, PrivateKey = AnchorKey, ContractAddress = address, DeploymentBlock = block };
    }

    private Task<SqliteTraceOutbox> OutboxAsync(string name = "outbox.db") =>
        SqliteTraceOutbox.OpenAsync(_temp.File(name), new SqliteTraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });

    [SkippableFact]
    public async Task Record_anchor_verify_and_query_events_by_dataset_and_action()
    {
        _hardhat.Require();
        var options = await DeployAsync();
        var ledger = new EthereumTraceLedger(options);
        await using var outbox = await OutboxAsync();
        var createA = Enumerable.Range(0, 3).Select(_ => (Trace)TestTraces.Create("ds-A")).ToList();
        var updateA = Enumerable.Range(0, 2).Select(_ => (Trace)TestTraces.Update("ds-A", TraceUpdateDetails.Publish)).ToList();
        var useAb = Enumerable.Range(0, 2).Select(_ => (Trace)TestTraces.Use("ds-A", "ds-B")).ToList();
        var createB = new List<Trace> { TestTraces.Create("ds-B") };
        var all = createA.Concat(updateA).Concat(useAb).Concat(createB).ToList();
        foreach (var t in all) await outbox.RecordAsync(t);

        await using (var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions { MaxBatchSize = 3 }))
        {
            await dispatcher.FlushAsync();
        }

        Assert.Equal(all.Count, (await outbox.CountAsync()).Anchored);
        var verifier = new TraceVerifier(outbox, ledger, TestTraces.Pseudonymizer);
        foreach (var t in all)
        {
            var result = await verifier.VerifyAsync(t);
            Assert.True(result.Status == TraceVerificationStatus.Anchored, result.Reason);
            Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyProofAsync(TraceProof.Parse(result.Proof!.ToJson()))).Status);
        }

        // The documented offline procedure (standard-library Python) accepts the exported proof and the chain has the root.
        var proofFile = _temp.File("proof.json");
        await File.WriteAllTextAsync(proofFile, (await verifier.ExportProofAsync(useAb[1].Id))!.ToJson());
        Assert.Equal(0, await ImagingRepo.Tracing.Tests.Proofs.OfflineVerifier.RunAsync(proofFile, "--rpc", _hardhat.RpcUrl, "--contract", options.ContractAddress!));
        var forged = (await verifier.ExportProofAsync(useAb[1].Id))! with { Trace = Encoding.UTF8.GetString(TraceSerializer.Serialize(TestTraces.Pseudonymizer.Apply(useAb[0]))) };
        await File.WriteAllTextAsync(proofFile, forged.ToJson());
        Assert.Equal(1, await ImagingRepo.Tracing.Tests.Proofs.OfflineVerifier.RunAsync(proofFile));

        var tampered = ((UpdateDatasetTrace)updateA[0]) with { Details = TraceUpdateDetails.Unpublish };
        Assert.Equal(TraceVerificationStatus.Tampered, (await verifier.VerifyAsync(tampered)).Status);

        async Task<Guid[]> Ids(LedgerQuery q) => (await ledger.QueryAsync(q).ToListAsync()).Select(e => e.TraceId).Order().ToArray();
        static Guid[] Expect(IEnumerable<Trace> traces) => traces.Select(t => t.Id).Order().ToArray();
        Assert.Equal(Expect(createA.Concat(updateA).Concat(useAb)), await Ids(new LedgerQuery(DatasetId: "ds-A")));
        Assert.Equal(Expect(useAb.Concat(createB)), await Ids(new LedgerQuery(DatasetId: "ds-B")));
        Assert.Equal(Expect(updateA), await Ids(new LedgerQuery(DatasetId: "ds-A", Action: TraceUserAction.UpdateDataset)));
        Assert.Equal(Expect(createA.Concat(createB)), await Ids(new LedgerQuery(Action: TraceUserAction.CreateDataset)));
        Assert.Equal([createB[0].Id], await Ids(new LedgerQuery(TraceId: createB[0].Id)));

        // Privacy: no e-mail or username (nor their pseudonyms) in any transaction input or log of the chain.
        var web3 = new Web3(_hardhat.RpcUrl);
        var latest = (await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var haystack = new StringBuilder();
        for (var n = options.DeploymentBlock; n <= latest; n++)
        {
            var block = await web3.Eth.Blocks.GetBlockWithTransactionsByNumber.SendRequestAsync(new HexBigInteger(n));
            foreach (var tx in block.Transactions)
            {
                haystack.Append(tx.Input).Append('\n');
                var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(tx.TransactionHash);
                foreach (var log in receipt.Logs) haystack.Append(log.ToString()).Append('\n');
            }
        }

        var chain = haystack.ToString().ToLowerInvariant();
        Assert.Contains(Convert.ToHexStringLower(createB[0].Id.ToByteArray(bigEndian: true)), chain, StringComparison.Ordinal); // the scan sees ids
        foreach (var secret in new[] { TestTraces.Email, TestTraces.Username, TestTraces.Pseudonymizer.Pseudonymize(TestTraces.Email) })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(secret)), chain, StringComparison.Ordinal);
            Assert.DoesNotContain(secret.ToLowerInvariant(), chain, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task The_builder_plugin_anchors_on_the_chain_and_a_ledger_without_key_only_reads()
    {
        _hardhat.Require();
        var options = await DeployAsync();
        var trace = TestTraces.Create("ds-builder");
        await using (var store = await new TraceStoreBuilder().UsePseudonymizer(TestTraces.Pseudonymizer)
                         .UseSqliteOutbox(_temp.File("outbox.db")).UseEthereumLedger(options).BuildAsync())
        {
            Assert.IsType<EthereumTraceLedger>(store.Ledger);
            await store.Outbox.RecordAsync(trace);
            await store.Dispatcher.FlushAsync();
            Assert.Equal(TraceVerificationStatus.Anchored, (await store.Verifier.VerifyAsync(trace)).Status);
        }

        var readOnly = new EthereumTraceLedgerOptions
        {
            RpcUrl = options.RpcUrl, ChainId = options.ChainId, ContractAddress = options.ContractAddress, DeploymentBlock = options.DeploymentBlock,
        };
        await using var reading = await new TraceStoreBuilder().UseEthereumLedger(readOnly).BuildAsync();
        Assert.Single(await reading.Ledger.QueryAsync(new LedgerQuery(DatasetId: "ds-builder")).ToListAsync());
        var refused = await Assert.ThrowsAsync<LedgerException>(() => reading.Ledger.PrepareAsync(
            new LedgerBatch(new byte[32], [new LedgerEntry(Guid.NewGuid(), TraceUserAction.CreateDataset, ["ds"])])));
        Assert.False(refused.IsTransient);
    }

    [SkippableFact]
    public async Task A_trace_id_is_anchored_once_and_a_second_anchor_reverts_with_the_node_message()
    {
        _hardhat.Require();
        var options = await DeployAsync();
        var ledger = new EthereumTraceLedger(options);
        var shared = TestTraces.Create("ds-dup");
        await using var first = await OutboxAsync("first.db");
        await using var second = await OutboxAsync("second.db");
        await first.RecordAsync(shared);
        await first.RecordAsync(shared); // recorded once locally
        await second.RecordAsync(shared);
        await second.RecordAsync(TestTraces.Create("ds-dup"));
        Assert.Equal(1, (await first.CountAsync()).Total);

        await using (var d1 = new TraceDispatcher(first, ledger)) await d1.FlushAsync();
        await using (var d2 = new TraceDispatcher(second, ledger)) await d2.FlushAsync();

        Assert.Equal(TraceStatus.Anchored, (await first.GetAsync(shared.Id))!.Status);
        var refused = (await second.GetAsync(shared.Id))!;
        Assert.Equal(TraceStatus.Failed, refused.Status);
        Assert.Contains("TraceAlreadyAnchored", refused.Message, StringComparison.Ordinal);
        Assert.Single(await ledger.QueryAsync(new LedgerQuery(TraceId: shared.Id)).ToListAsync());
        Assert.Equal(1, await ledger.GetBatchOfTraceAsync(shared.Id));
    }

    [SkippableFact]
    public async Task Unauthorized_account_wrong_chain_id_and_out_of_gas_end_failed_with_the_node_message()
    {
        _hardhat.Require();
        var options = await DeployAsync();
        var cases = new (string Name, EthereumTraceLedgerOptions Options, string Expected)[]
        {
            ("reverted", new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = ChainId, PrivateKey = OutsiderKey, ContractAddress = options.ContractAddress, GasLimit = 1_000_000 }, "NotAnchorer"),
            ("reverted-estimate", new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = ChainId, PrivateKey = OutsiderKey, ContractAddress = options.ContractAddress, EstimateGas = true }, "NotAnchorer"),
            ("reverted-computed", new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = ChainId, PrivateKey = OutsiderKey, ContractAddress = options.ContractAddress }, "NotAnchorer"),
            ("chain", new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = 1337, PrivateKey = AnchorKey, ContractAddress = options.ContractAddress, GasLimit = 1_000_000 }, "chain"),
            ("gas", new EthereumTraceLedgerOptions { RpcUrl = Rpc, ChainId = ChainId, PrivateKey = AnchorKey, ContractAddress = options.ContractAddress, GasLimit = 60_000 }, "gas"),
        };
        foreach (var (name, ledgerOptions, expected) in cases)
        {
            await using var outbox = await OutboxAsync(name + ".db");
            for (var i = 0; i < 5; i++) await outbox.RecordAsync(TestTraces.Use("ds-" + name));
            await using (var dispatcher = new TraceDispatcher(outbox, new EthereumTraceLedger(ledgerOptions)))
            {
                await dispatcher.FlushAsync();
            }

            var records = await outbox.ListAsync(new TraceListQuery());
            Assert.All(records, r =>
            {
                Assert.Equal(TraceStatus.Failed, r.Status);
                Assert.Contains(expected, r.Message, StringComparison.OrdinalIgnoreCase);
            });
        }
    }

    [SkippableFact]
    public async Task Traces_recorded_while_the_node_is_unreachable_wait_and_anchor_when_it_returns()
    {
        _hardhat.Require();
        var options = await DeployAsync();
        await using var proxy = new TcpProxy(Rpc);
        options.RpcUrl = proxy.Url; // proxy down: connection refused
        var ledger = new EthereumTraceLedger(options);
        await using var outbox = await OutboxAsync();
        await using var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions
        {
            Window = TimeSpan.FromMilliseconds(50), RetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        });
        dispatcher.Start();
        var traces = Enumerable.Range(0, 20).Select(_ => TestTraces.Create("ds-down")).ToList();
        await Task.WhenAll(traces.Select(t => outbox.RecordAsync(t)));

        for (var i = 0; i < 100 && dispatcher.LastError is null; i++) await Task.Delay(20);
        Assert.Contains("cannot be reached", dispatcher.LastError, StringComparison.Ordinal);
        var counts = await outbox.CountAsync();
        Assert.Equal(0, counts.Anchored);
        Assert.Equal(0, counts.Failed);

        proxy.Start();
        for (var i = 0; i < 300 && (await outbox.CountAsync()).Anchored < traces.Count; i++) await Task.Delay(20);
        Assert.Equal(traces.Count, (await outbox.CountAsync()).Anchored);
        foreach (var t in traces) Assert.Single(await ledger.QueryAsync(new LedgerQuery(TraceId: t.Id)).ToListAsync());
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dispatcher_killed_around_sending_loses_nothing_and_anchors_nothing_twice(bool afterSend)
    {
        _hardhat.Require();
        var options = await DeployAsync();
        var real = new EthereumTraceLedger(options);
        var traces = Enumerable.Range(0, 7).Select(_ => TestTraces.Create("ds-crash")).ToList();
        await using (var outbox = await OutboxAsync())
        {
            foreach (var t in traces) await outbox.RecordAsync(t);
            var crashing = new CrashingLedger(real, afterSend);
            await using var dispatcher = new TraceDispatcher(outbox, crashing);
            await Assert.ThrowsAsync<SimulatedCrashException>(() => dispatcher.FlushAsync());
            Assert.Equal(traces.Count, (await outbox.CountAsync()).Submitted);
        } // the process "dies": only what was committed to the outbox remains

        await using (var restarted = await OutboxAsync())
        {
            await using var dispatcher = new TraceDispatcher(restarted, real);
            await dispatcher.FlushAsync();
            Assert.Equal(traces.Count, (await restarted.CountAsync()).Anchored);
            var verifier = new TraceVerifier(restarted, real, TestTraces.Pseudonymizer);
            foreach (var t in traces) Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyAsync(t)).Status);
        }

        var events = await real.QueryAsync(new LedgerQuery(DatasetId: "ds-crash")).ToListAsync();
        Assert.Equal(traces.Select(t => t.Id).Order(), events.Select(e => e.TraceId).Order());
        Assert.All(events, e => Assert.Equal(1, e.BatchNumber)); // one batch, one transaction
    }

    private sealed class SimulatedCrashException() : Exception("simulated crash");

    /// <summary>Lets the real ledger prepare (and, when <c>afterSend</c>, send) and then "crashes" before the receipt is seen.</summary>
    private sealed class CrashingLedger(ITraceLedger inner, bool afterSend) : ITraceLedger
    {
        public string Description => inner.Description;

        public Task<LedgerTicket> PrepareAsync(LedgerBatch batch, CancellationToken cancellationToken = default) => inner.PrepareAsync(batch, cancellationToken);

        public async Task SendAsync(LedgerTicket ticket, CancellationToken cancellationToken = default)
        {
            if (afterSend) await inner.SendAsync(ticket, cancellationToken);
            throw new SimulatedCrashException();
        }

        public Task<LedgerAnchor?> GetAnchorAsync(LedgerBatch batch, LedgerTicket? ticket, CancellationToken cancellationToken = default) => Task.FromResult<LedgerAnchor?>(null);

        public Task<LedgerAnchor?> FindRootAsync(ReadOnlyMemory<byte> root, CancellationToken cancellationToken = default) => inner.FindRootAsync(root, cancellationToken);

        public IAsyncEnumerable<LedgerTraceEntry> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
