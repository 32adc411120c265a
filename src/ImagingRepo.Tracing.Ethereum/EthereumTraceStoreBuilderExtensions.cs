using ImagingRepo.Tracing.Ledgers;

namespace ImagingRepo.Tracing;

/// <summary>Adds the Ethereum ledger to <see cref="TraceStoreBuilder"/>.</summary>
public static class EthereumTraceStoreBuilderExtensions
{
    /// <summary>
    /// Anchors batches on an Ethereum-compatible chain through the TraceAnchor contract (see
    /// <see cref="EthereumTraceLedger"/>), in place of the file ledger.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="options">Node, chain, contract and key (validated when the store is built); without a key the ledger only reads.</param>
    public static TraceStoreBuilder UseEthereumLedger(this TraceStoreBuilder builder, EthereumTraceLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return builder.UseLedger((_, _) => Task.FromResult<ITraceLedger>(new EthereumTraceLedger(options)));
    }
}
