using System.Numerics;
using System.Runtime.CompilerServices;
using ImagingRepo.Tracing.Model;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RLP;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>Options of <see cref="EthereumTraceLedger"/>.</summary>
public sealed class EthereumTraceLedgerOptions
{
    /// <summary>JSON-RPC endpoint of the node (Besu in production, Hardhat in tests).</summary>
    public Uri? RpcUrl { get; set; }

    /// <summary>Chain id the transactions are signed for (EIP-155); a node of another chain refuses them.</summary>
    public long ChainId { get; set; }

    /// <summary>Hex private key of the anchoring account (keep it out of configuration files); null: the ledger only reads (queries, proofs) and refuses to anchor.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Address of the deployed TraceAnchor contract.</summary>
    public string? ContractAddress { get; set; }

    /// <summary>Block the contract was deployed in: where event queries start.</summary>
    public long DeploymentBlock { get; set; }

    /// <summary>
    /// Fixed gas limit per anchoring transaction. Null (default) uses an upper bound computed from the batch
    /// (<see cref="BaseGas"/> + <see cref="GasPerTrace"/> per trace + <see cref="GasPerExtraDataset"/> per further
    /// dataset of a trace; unused gas is not charged), or the node's estimate when <see cref="EstimateGas"/> is set.
    /// </summary>
    public long? GasLimit { get; set; }

    /// <summary>Ask the node (<c>eth_estimateGas</c>, +20 %) instead of computing the bound: one more execution per batch, but a revert is caught before sending.</summary>
    public bool EstimateGas { get; set; }

    /// <summary>Gas of a batch besides its traces (transaction, batch record, batch event).</summary>
    public long BaseGas { get; set; } = 150_000;

    /// <summary>Upper bound of the gas one trace costs (its anchored-id slot, its event, its calldata; about 26,000 measured on Hardhat).</summary>
    public long GasPerTrace { get; set; } = 28_000;

    /// <summary>Upper bound of the gas each further dataset of a trace costs (one more event and key).</summary>
    public long GasPerExtraDataset { get; set; } = 3_000;

    /// <summary>Gas price in wei; null asks the node.</summary>
    public BigInteger? GasPrice { get; set; }

    /// <summary>How long to wait for a receipt before leaving the batch to the next pass.</summary>
    public TimeSpan ReceiptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often (median; jittered) to ask for a receipt while the node holds the transaction as pending.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Clock of the receipt polling (its delays and <see cref="ReceiptTimeout"/>).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (RpcUrl is null) throw new ArgumentException("RpcUrl is required", nameof(RpcUrl));
        if (ChainId <= 0) throw new ArgumentException("ChainId must be positive", nameof(ChainId));
        if (string.IsNullOrWhiteSpace(ContractAddress) || !AddressUtil.Current.IsValidEthereumAddressHexFormat(ContractAddress))
        {
            throw new ArgumentException("ContractAddress must be a 0x-prefixed 20-byte hex address", nameof(ContractAddress));
        }
    }
}

/// <summary>
/// Anchors batches on an Ethereum-compatible chain through the TraceAnchor contract, with Nethereum.
/// Transactions are signed locally: <see cref="PrepareAsync"/> returns the signed transaction and its hash so
/// that the outbox can persist both before anything is sent. Queries use the contract's indexed events.
/// </summary>
public sealed class EthereumTraceLedger : ITraceLedger
{
    private static readonly string TraceTopic = "0x" + Sha3Keccack.Current.CalculateHash(TraceAnchorContract.TraceAnchoredSignature);
    private static readonly string BatchTopic = "0x" + Sha3Keccack.Current.CalculateHash(TraceAnchorContract.BatchAnchoredSignature);

    private readonly EthereumTraceLedgerOptions _options;
    private readonly ResiliencePipeline<ReceiptPoll> _receiptPolling;
    private readonly Web3 _web3;
    private readonly EthECKey _key;
    private readonly string _address;
    private readonly string _contract;
    private readonly bool _readOnly;

    /// <summary>Creates the ledger.</summary>
    /// <param name="options">Options (validated).</param>
    public EthereumTraceLedger(EthereumTraceLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _receiptPolling = BuildReceiptPolling(options);
        // Reading needs no key; a throw-away one satisfies the signer of a ledger that only reads.
        _key = options.PrivateKey is { Length: > 0 } key ? new EthECKey(key) : EthECKey.GenerateKey();
        _readOnly = options.PrivateKey is not { Length: > 0 };
        _address = _key.GetPublicAddress();
        _contract = options.ContractAddress!;
        _web3 = new Web3(new Account(_key, options.ChainId), options.RpcUrl!.ToString());
    }

    /// <inheritdoc />
    public string Description => $"ethereum chain {_options.ChainId} contract {_contract}";

    /// <inheritdoc />
    /// <remarks>Nethereum's RPC client shares its HTTP connections process-wide: the ledger holds nothing of its own to release.</remarks>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The anchoring account's address.</summary>
    public string Address => _address;

    /// <summary>Deploys a new TraceAnchor contract and returns its address and deployment block.</summary>
    /// <param name="rpcUrl">Node endpoint.</param>
    /// <param name="chainId">Chain id.</param>
    /// <param name="privateKey">Deployer's key; the deployer becomes owner and first anchorer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<(string Address, long Block)> DeployAsync(Uri rpcUrl, long chainId, string privateKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpcUrl);
        var account = new Account(privateKey, chainId);
        var web3 = new Web3(account, rpcUrl.ToString());
        try
        {
            var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
                TraceAnchorContract.Abi, TraceAnchorContract.Bytecode, account.Address, new HexBigInteger(3_000_000), cancellationToken).ConfigureAwait(false);
            if (receipt.Status?.Value != 1) throw new LedgerException($"deployment transaction {receipt.TransactionHash} failed", isTransient: false);
            return (receipt.ContractAddress, (long)receipt.BlockNumber.Value);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>Allows or forbids another account to anchor (owner only).</summary>
    /// <param name="account">The account address.</param>
    /// <param name="allowed">Allow or forbid.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SetAnchorerAsync(string account, bool allowed, CancellationToken cancellationToken = default)
    {
        if (_readOnly) throw new LedgerException("this Ethereum ledger has no PrivateKey: it reads, it does not send", isTransient: false);
        try
        {
            var handler = _web3.Eth.GetContractTransactionHandler<SetAnchorerFunction>();
            await handler.SendRequestAndWaitForReceiptAsync(_contract, new SetAnchorerFunction { Account = account, Allowed = allowed }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public async Task<LedgerTicket> PrepareAsync(LedgerBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_readOnly) throw new LedgerException("this Ethereum ledger has no PrivateKey: it reads, it does not anchor", isTransient: false);
        var function = ToFunction(batch);
        var callData = function.GetCallData();
        try
        {
            var nonce = await _web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(_address, BlockParameter.CreatePending()).ConfigureAwait(false);
            var gasPrice = _options.GasPrice ?? (await _web3.Eth.GasPrice.SendRequestAsync().ConfigureAwait(false)).Value;
            BigInteger gas;
            if (_options.GasLimit is { } limit)
            {
                gas = limit;
            }
            else if (_options.EstimateGas)
            {
                var estimate = await _web3.Eth.Transactions.EstimateGas.SendRequestAsync(
                    new CallInput(callData.ToHex(prefix: true), _contract) { From = _address }).ConfigureAwait(false);
                gas = estimate.Value * 6 / 5 + 10_000;
            }
            else
            {
                long extra = 0;
                foreach (var entry in batch.Entries) extra += Math.Max(0, entry.DatasetIds.Count - 1);
                gas = _options.BaseGas + (_options.GasPerTrace * batch.Entries.Count) + (_options.GasPerExtraDataset * extra);
            }

            var raw = Sign(nonce.Value, gasPrice, gas, callData);
            return new LedgerTicket(Keccak256.Hash(raw).ToHex(prefix: true), raw.ToHex(prefix: true));
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public async Task SendAsync(LedgerTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Payload is null) throw new LedgerException("the ticket holds no signed transaction", isTransient: false);
        try
        {
            await _web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(ticket.Payload).ConfigureAwait(false);
        }
        catch (RpcResponseException e) when (IsAlreadyKnown(e.Message))
        {
            // The node has it already: sending the same signed transaction twice is harmless.
        }
        catch (RpcResponseException e) when (IsNonceUsed(e.Message))
        {
            throw new LedgerTicketExpiredException(e.Message, e);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public async Task<LedgerAnchor?> GetAnchorAsync(LedgerBatch batch, LedgerTicket? ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            if (ticket is not null)
            {
                var receipt = await WaitForReceiptAsync(ticket, cancellationToken).ConfigureAwait(false);
                if (receipt is not null)
                {
                    if (receipt.Status?.Value == 1) return await ToAnchorAsync(receipt, batch.Root).ConfigureAwait(false);
                    throw new LedgerException(await DescribeFailureAsync(receipt, ticket, cancellationToken).ConfigureAwait(false), isTransient: false);
                }
            }

            return await FindRootAsync(batch.Root, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public async Task<LedgerAnchor?> FindRootAsync(ReadOnlyMemory<byte> root, CancellationToken cancellationToken = default)
    {
        try
        {
            var batchId = await _web3.Eth.GetContractQueryHandler<BatchOfRootFunction>()
                .QueryAsync<BigInteger>(_contract, new BatchOfRootFunction { Root = root.ToArray() }).ConfigureAwait(false);
            if (batchId.IsZero) return null;
            var logs = await _web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
            {
                Address = [_contract],
                FromBlock = new BlockParameter(new HexBigInteger(_options.DeploymentBlock)),
                ToBlock = BlockParameter.CreateLatest(),
                Topics = [BatchTopic, "0x" + batchId.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)],
            }).ConfigureAwait(false);
            var batch = await _web3.Eth.GetContractQueryHandler<BatchesFunction>()
                .QueryDeserializingToObjectAsync<BatchOutput>(new BatchesFunction { BatchId = batchId }, _contract).ConfigureAwait(false);
            var log = logs.Length > 0 ? logs[0] : null;
            return new LedgerAnchor(Description, (long)batchId, log?.TransactionHash ?? "", (long)batch.BlockNumber, batch.Root, (int)batch.Count);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <summary>The batch number a trace id is anchored in on chain, or 0 when it is not.</summary>
    /// <param name="traceId">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<long> GetBatchOfTraceAsync(Guid traceId, CancellationToken cancellationToken = default)
    {
        try
        {
            var id = await _web3.Eth.GetContractQueryHandler<BatchOfTraceFunction>()
                .QueryAsync<BigInteger>(_contract, new BatchOfTraceFunction { TraceId = UuidBytes.Of(traceId) }).ConfigureAwait(false);
            return (long)id;
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerTraceEntry> QueryAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        object?[] topics =
        [
            TraceTopic,
            query.TraceId is { } id ? UuidBytes.Of(id).ToHex(prefix: true) + new string('0', 32) : null,
            query.DatasetId is { } dataset ? DatasetKey.Of(dataset).ToHex(prefix: true) : null,
            query.Action is { } action ? "0x" + ((int)action).ToString("x64", System.Globalization.CultureInfo.InvariantCulture) : null,
        ];
        FilterLog[] logs;
        try
        {
            logs = await _web3.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
            {
                Address = [_contract],
                FromBlock = new BlockParameter(new HexBigInteger(_options.DeploymentBlock)),
                ToBlock = BlockParameter.CreateLatest(),
                Topics = topics,
            }).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e) is { } mapped)
        {
            throw mapped;
        }

        var seen = new HashSet<Guid>();
        foreach (var log in logs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var traceId = UuidBytes.From(log.Topics[1].ToString()!.HexToByteArray());
            if (!seen.Add(traceId)) continue; // one event per dataset of a trace; report the trace once
            var datasetKey = log.Topics[2].ToString()!.HexToByteArray();
            var traceAction = (TraceUserAction)(int)new HexBigInteger(log.Topics[3].ToString()).Value;
            var batchId = (long)new HexBigInteger(log.Data).Value;
            yield return new LedgerTraceEntry(traceId, traceAction, datasetKey, batchId, log.TransactionHash);
        }
    }

    /// <summary>
    /// The signed EIP-155 legacy transaction calling the contract with <paramref name="callData"/>, as Nethereum's
    /// <c>LegacyTransactionSigner</c> signs it, but hashed with <see cref="Keccak256"/> and without hex round trips of
    /// the call data (tens of kilobytes for a batch of hundreds of traces).
    /// </summary>
    internal byte[] Sign(BigInteger nonce, BigInteger gasPrice, BigInteger gas, byte[] callData)
    {
        var chainId = new BigInteger(_options.ChainId);
        var transaction = new Nethereum.Model.LegacyTransactionChainId(
            nonce.ToBytesForRLPEncoding(), gasPrice.ToBytesForRLPEncoding(), gas.ToBytesForRLPEncoding(), _contract.HexToByteArray(),
            BigInteger.Zero.ToBytesForRLPEncoding(), callData, chainId.ToBytesForRLPEncoding());
        var signature = _key.SignAndCalculateV(Keccak256.Hash(transaction.GetRLPEncodedRaw()), chainId);
        transaction.SetSignature(new Nethereum.Model.Signature { R = signature.R, S = signature.S, V = signature.V });
        return transaction.GetRLPEncoded();
    }

    private static AnchorFunction ToFunction(LedgerBatch batch)
    {
        if (batch.Root.Length != 32) throw new ArgumentException("the root must be 32 bytes", nameof(batch));
        var function = new AnchorFunction { Root = batch.Root.ToArray() };

        // A batch's traces name few datasets many times over: each key is hashed once per batch.
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in batch.Entries)
        {
            function.TraceIds.Add(UuidBytes.Of(entry.TraceId));
            function.Actions.Add((byte)entry.Action);
            if (entry.DatasetIds.Count > ushort.MaxValue) throw new ArgumentException($"trace {entry.TraceId} names more than {ushort.MaxValue} datasets", nameof(batch));
            function.DatasetCounts.Add((ushort)entry.DatasetIds.Count);
            foreach (var dataset in entry.DatasetIds)
            {
                if (!keys.TryGetValue(dataset, out var key)) keys.Add(dataset, key = DatasetKey.Of(dataset));
                function.DatasetKeys.Add(key);
            }
        }

        return function;
    }

    /// <summary>
    /// The ticket's receipt, polled while the node holds the transaction as pending; null when the node does not know
    /// it (never sent, or dropped: the caller sends it again) or no receipt came within <see cref="EthereumTraceLedgerOptions.ReceiptTimeout"/>
    /// (the batch is left to the next pass).
    /// </summary>
    private async Task<TransactionReceipt?> WaitForReceiptAsync(LedgerTicket ticket, CancellationToken cancellationToken)
    {
        try
        {
            var poll = await _receiptPolling.ExecuteAsync(static async (state, _) =>
            {
                var (web3, reference) = state;
                var receipt = await web3.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(reference).ConfigureAwait(false);
                if (receipt is not null) return new ReceiptPoll(receipt, Pending: false);
                var pending = await web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(reference).ConfigureAwait(false);
                return new ReceiptPoll(null, Pending: pending is not null);
            }, (_web3, ticket.Reference), cancellationToken).ConfigureAwait(false);
            return poll.Receipt;
        }
        catch (TimeoutRejectedException)
        {
            return null;
        }
    }

    /// <summary>Polls again while the transaction is pending, every <see cref="EthereumTraceLedgerOptions.ReceiptPollInterval"/> with jitter, until the timeout.</summary>
    private static ResiliencePipeline<ReceiptPoll> BuildReceiptPolling(EthereumTraceLedgerOptions options) =>
        new ResiliencePipelineBuilder<ReceiptPoll> { TimeProvider = options.TimeProvider }
            .AddTimeout(options.ReceiptTimeout < MinReceiptTimeout ? MinReceiptTimeout : options.ReceiptTimeout) // Polly's lower bound
            .AddRetry(new RetryStrategyOptions<ReceiptPoll>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Pending: true }),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = true,
                Delay = options.ReceiptPollInterval,
            })
            .Build();

    private static readonly TimeSpan MinReceiptTimeout = TimeSpan.FromMilliseconds(10);

    private sealed record ReceiptPoll(TransactionReceipt? Receipt, bool Pending);

    private async Task<LedgerAnchor> ToAnchorAsync(TransactionReceipt receipt, ReadOnlyMemory<byte> root)
    {
        foreach (var log in receipt.Logs ?? [])
        {
            if (log.Topics is { Length: >= 3 } && string.Equals(log.Topics[0]?.ToString(), BatchTopic, StringComparison.OrdinalIgnoreCase))
            {
                var batchId = (long)new HexBigInteger(log.Topics[1].ToString()).Value;
                var count = (int)new HexBigInteger(log.Data).Value;
                return new LedgerAnchor(Description, batchId, receipt.TransactionHash, (long)receipt.BlockNumber.Value, root, count);
            }
        }

        // Mined and successful but without our event: a different call. Fall back to the contract's record.
        return await FindRootAsync(root).ConfigureAwait(false)
            ?? throw new LedgerException($"transaction {receipt.TransactionHash} succeeded but did not anchor the batch root", isTransient: false);
    }

    private async Task<string> DescribeFailureAsync(TransactionReceipt receipt, LedgerTicket ticket, CancellationToken cancellationToken)
    {
        var transaction = await _web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(receipt.TransactionHash).ConfigureAwait(false);
        var gasLimit = transaction?.Gas?.Value ?? BigInteger.Zero;
        var used = receipt.GasUsed?.Value ?? BigInteger.Zero;
        var message = $"transaction {receipt.TransactionHash} failed in block {receipt.BlockNumber?.Value} (gas used {used} of {gasLimit})";
        if (gasLimit > 0 && used >= gasLimit) return message + ": out of gas";
        try
        {
            // Replay the call at that block to get the node's revert message.
            await _web3.Eth.Transactions.Call.SendRequestAsync(
                new CallInput(transaction?.Input, _contract) { From = _address, Gas = transaction?.Gas },
                new BlockParameter(new HexBigInteger(receipt.BlockNumber!.Value - 1))).ConfigureAwait(false);
        }
        catch (RpcResponseException e)
        {
            return message + ": " + ContractErrors.Explain(e.RpcError?.Message ?? e.Message, e.RpcError?.Data?.ToString());
        }
        catch (SmartContractRevertException e)
        {
            return message + ": " + e.Message;
        }

        _ = ticket;
        _ = cancellationToken;
        return message + ": reverted";
    }

    private static bool IsAlreadyKnown(string message) =>
        message.Contains("already known", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("already imported", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("Known transaction", StringComparison.OrdinalIgnoreCase);

    private static bool IsNonceUsed(string message) =>
        message.Contains("nonce too low", StringComparison.OrdinalIgnoreCase) ||
        message.Contains("Nonce too low", StringComparison.Ordinal) ||
        message.Contains("replacement transaction underpriced", StringComparison.OrdinalIgnoreCase);

    /// <summary>Maps Nethereum and transport errors onto <see cref="LedgerException"/>; null leaves others alone.</summary>
    private static Exception? Classify(Exception e) => e switch
    {
        LedgerException or LedgerTicketExpiredException or OperationCanceledException => null,
        RpcResponseException r => new LedgerException(ContractErrors.Explain(r.RpcError?.Message ?? r.Message, r.RpcError?.Data?.ToString()), isTransient: false, r),
        SmartContractRevertException r => new LedgerException(r.Message, isTransient: false, r),
        RpcClientTimeoutException or RpcClientUnknownException or HttpRequestException or System.Net.Sockets.SocketException or IOException
            => new LedgerException("the Ethereum node cannot be reached: " + e.GetBaseException().Message, isTransient: true, e),
        _ => null,
    };
}
