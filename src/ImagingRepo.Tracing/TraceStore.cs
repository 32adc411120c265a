using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Tracing;

/// <summary>
/// An opened outbox and ledger with the dispatcher between them, made by <see cref="TraceStoreBuilder.BuildAsync"/>.
/// The store owns all three: disposing it stops the dispatcher, then closes the outbox and the ledger.
/// </summary>
public sealed class TraceStore : IAsyncDisposable
{
    private readonly TraceOutbox? _outbox;
    private readonly ITraceLedger? _ledger;
    private readonly TraceDispatcher? _dispatcher;
    private TraceVerifier? _verifier;
    private int _disposed;

    internal TraceStore(TraceOutbox? outbox, ITraceLedger? ledger, UserPseudonymizer? pseudonymizer, TraceDispatcherOptions dispatcherOptions, ILoggerFactory? loggerFactory)
    {
        _outbox = outbox;
        _ledger = ledger;
        Pseudonymizer = pseudonymizer;
        if (outbox is not null && ledger is not null)
        {
            _dispatcher = new TraceDispatcher(outbox, ledger, dispatcherOptions, loggerFactory?.CreateLogger<TraceDispatcher>());
        }
    }

    /// <summary>Whether the store has an outbox (a store built with only a ledger checks proofs on it).</summary>
    public bool HasOutbox => _outbox is not null;

    /// <summary>Whether the store has a ledger (a store built with only an outbox reads it).</summary>
    public bool HasLedger => _ledger is not null;

    /// <summary>The outbox: record traces here.</summary>
    /// <exception cref="InvalidOperationException">The store was built without an outbox.</exception>
    public TraceOutbox Outbox => _outbox ?? throw new InvalidOperationException("this trace store was built without an outbox (UseSqliteOutbox, UsePostgreSqlOutbox)");

    /// <summary>The ledger batches are anchored in.</summary>
    /// <exception cref="InvalidOperationException">The store was built without a ledger.</exception>
    public ITraceLedger Ledger => _ledger ?? throw new InvalidOperationException("this trace store was built without a ledger (UseFileLedger, UseEthereumLedger)");

    /// <summary>The pseudonymizer of user ids, when one was configured.</summary>
    public UserPseudonymizer? Pseudonymizer { get; }

    /// <summary>
    /// The dispatcher that anchors the outbox's traces in the ledger; not started: call <see cref="TraceDispatcher.Start"/>
    /// to anchor in the background, or <see cref="TraceDispatcher.FlushAsync"/> to anchor what waits now.
    /// </summary>
    /// <exception cref="InvalidOperationException">The store lacks an outbox or a ledger.</exception>
    public TraceDispatcher Dispatcher => _dispatcher ?? throw new InvalidOperationException("a dispatcher needs both an outbox and a ledger");

    /// <summary>Verifies traces against the outbox's proofs and the ledger (with the store's pseudonymizer).</summary>
    /// <exception cref="InvalidOperationException">The store lacks an outbox or a ledger.</exception>
    public TraceVerifier Verifier => _verifier ??= new TraceVerifier(Outbox, Ledger, Pseudonymizer);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;

        // The dispatcher writes to the outbox and the ledger: it stops before either closes.
        if (_dispatcher is not null) await _dispatcher.DisposeAsync().ConfigureAwait(false);
        if (_outbox is not null) await _outbox.DisposeAsync().ConfigureAwait(false);
        if (_ledger is not null) await _ledger.DisposeAsync().ConfigureAwait(false);
    }
}
