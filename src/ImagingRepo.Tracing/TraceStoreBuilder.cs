using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Tracing;

/// <summary>
/// Configures where traces are kept and anchored, then opens it all as one <see cref="TraceStore"/>, as Npgsql's
/// data-source builder does for connections. The core offers the SQLite outbox and the file ledger; plugin packages
/// add their choices as extension methods that call <see cref="UseOutbox"/> or <see cref="UseLedger"/>
/// (<c>UsePostgreSqlOutbox</c> in ImagingRepo.Tracing.PostgreSql, <c>UseEthereumLedger</c> in ImagingRepo.Tracing.Ethereum).
/// The last choice of each kind wins.
/// </summary>
public sealed class TraceStoreBuilder
{
    private Func<TraceStoreBuilder, CancellationToken, Task<TraceOutbox>>? _openOutbox;
    private Func<TraceStoreBuilder, CancellationToken, Task<ITraceLedger>>? _openLedger;

    /// <summary>Turns user ids into pseudonyms before traces are stored; null: only pseudonymized traces are accepted.</summary>
    public UserPseudonymizer? Pseudonymizer { get; private set; }

    /// <summary>The clock of the outbox and the dispatcher.</summary>
    public TimeProvider TimeProvider { get; private set; } = TimeProvider.System;

    /// <summary>Where the dispatcher logs; null: it does not.</summary>
    public ILoggerFactory? LoggerFactory { get; private set; }

    /// <summary>Batching, window and retry settings of the store's dispatcher.</summary>
    public TraceDispatcherOptions DispatcherOptions { get; private set; } = new();

    /// <summary>Keeps the outbox in a SQLite file (WAL mode), created when missing.</summary>
    /// <param name="path">The database file.</param>
    /// <param name="configure">Adjusts the SQLite options (durability, group size); the pseudonymizer and clock come from this builder.</param>
    public TraceStoreBuilder UseSqliteOutbox(string path, Action<SqliteTraceOutboxOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return UseOutbox(async (builder, cancellationToken) =>
        {
            var options = builder.ApplyTo(new SqliteTraceOutboxOptions());
            configure?.Invoke(options);
            return await SqliteTraceOutbox.OpenAsync(path, options, cancellationToken).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Keeps the outbox where <paramref name="open"/> says: the extension point of outbox plugins. The function receives
    /// this builder (for <see cref="Pseudonymizer"/> and <see cref="TimeProvider"/>, see <see cref="ApplyTo{T}"/>) and
    /// returns the opened outbox, which the store then owns.
    /// </summary>
    /// <param name="open">Opens the outbox.</param>
    public TraceStoreBuilder UseOutbox(Func<TraceStoreBuilder, CancellationToken, Task<TraceOutbox>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _openOutbox = open;
        return this;
    }

    /// <summary>Anchors in a local hash-chained file (the embedded default), created when missing.</summary>
    /// <param name="path">The ledger file.</param>
    public TraceStoreBuilder UseFileLedger(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return UseLedger(async (_, cancellationToken) => await FileTraceLedger.OpenAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Anchors where <paramref name="open"/> says: the extension point of ledger plugins. The store owns the ledger returned.</summary>
    /// <param name="open">Opens the ledger.</param>
    public TraceStoreBuilder UseLedger(Func<TraceStoreBuilder, CancellationToken, Task<ITraceLedger>> open)
    {
        ArgumentNullException.ThrowIfNull(open);
        _openLedger = open;
        return this;
    }

    /// <summary>Pseudonymizes user ids with <paramref name="pseudonymizer"/> before anything is stored.</summary>
    /// <param name="pseudonymizer">The pseudonymizer, or null to accept only traces whose user id already is a pseudonym.</param>
    public TraceStoreBuilder UsePseudonymizer(UserPseudonymizer? pseudonymizer)
    {
        Pseudonymizer = pseudonymizer;
        return this;
    }

    /// <summary>Pseudonymizes user ids under <paramref name="key"/> (at least <see cref="UserPseudonymizer.MinKeyBytes"/> secret bytes).</summary>
    /// <param name="key">The platform's secret key.</param>
    public TraceStoreBuilder UsePseudonymizationKey(byte[] key) => UsePseudonymizer(new UserPseudonymizer(key));

    /// <summary>Sets the clock of the outbox (timestamps) and of the dispatcher (windows, back-off).</summary>
    /// <param name="timeProvider">The clock.</param>
    public TraceStoreBuilder UseTimeProvider(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        return this;
    }

    /// <summary>Logs the dispatcher's passes and errors through <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    public TraceStoreBuilder UseLoggerFactory(ILoggerFactory? loggerFactory)
    {
        LoggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Uses <paramref name="options"/> for the store's dispatcher (its clock is set from <see cref="TimeProvider"/> when left at the system's).</summary>
    /// <param name="options">The dispatcher options.</param>
    public TraceStoreBuilder UseDispatcherOptions(TraceDispatcherOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DispatcherOptions = options;
        return this;
    }

    /// <summary>Copies the settings every outbox shares (pseudonymizer, clock) into a plugin's outbox options.</summary>
    /// <typeparam name="T">The outbox options type.</typeparam>
    /// <param name="options">The options to fill.</param>
    public T ApplyTo<T>(T options) where T : TraceOutboxOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Pseudonymizer = Pseudonymizer;
        options.TimeProvider = TimeProvider;
        return options;
    }

    /// <summary>
    /// Opens the outbox and the ledger configured and returns the store that owns them. Either may be left out (a
    /// store that only reads the outbox, or only checks proofs on the ledger), not both. When the ledger fails to
    /// open, the outbox already opened is closed again.
    /// </summary>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <exception cref="InvalidOperationException">Neither an outbox nor a ledger is configured.</exception>
    public async Task<TraceStore> BuildAsync(CancellationToken cancellationToken = default)
    {
        if (_openOutbox is null && _openLedger is null)
        {
            throw new InvalidOperationException("a trace store needs an outbox (UseSqliteOutbox, UsePostgreSqlOutbox) or a ledger (UseFileLedger, UseEthereumLedger)");
        }

        var outbox = _openOutbox is null ? null : await _openOutbox(this, cancellationToken).ConfigureAwait(false);
        ITraceLedger? ledger = null;
        try
        {
            if (_openLedger is not null) ledger = await _openLedger(this, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            if (outbox is not null) await outbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        // A copy: the caller's options object is left as it was given.
        var dispatcherOptions = DispatcherOptions.TimeProvider == TimeProvider.System ? DispatcherOptions.WithTimeProvider(TimeProvider) : DispatcherOptions;
        return new TraceStore(outbox, ledger, Pseudonymizer, dispatcherOptions, LoggerFactory);
    }
}
