using System.Diagnostics;
using ImagingRepo.Tracing.Ledgers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Options of <see cref="TraceDispatcher"/>.</summary>
public sealed class TraceDispatcherOptions
{
    /// <summary>Most traces per batch (one ledger write). 1 gives the one-transaction-per-trace mode.</summary>
    public int MaxBatchSize { get; set; } = 500;

    /// <summary>A batch closes when its oldest trace has waited this long, or when it is full.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Median first delay after the ledger could not be reached; grows exponentially on each further failure, with
    /// jitter so that several dispatchers do not retry in step.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between retries (failed passes are retried until the dispatcher stops).</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox is looked at when nothing signals new traces.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Clock for windows and delays.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A copy of these options on another clock.</summary>
    internal TraceDispatcherOptions WithTimeProvider(TimeProvider timeProvider)
    {
        var copy = (TraceDispatcherOptions)MemberwiseClone();
        copy.TimeProvider = timeProvider;
        return copy;
    }

    internal void Validate()
    {
        if (MaxBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(MaxBatchSize), MaxBatchSize, "must be at least 1");
        if (Window < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Window), Window, "must not be negative");
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "must be positive");
    }
}

/// <summary>
/// Background loop that takes waiting traces from a <see cref="TraceOutbox"/>, closes batches by size or time
/// window, and anchors them on an <see cref="ITraceLedger"/>. Every step is persisted before the next: the batch
/// and its proofs, then the prepared ledger write (e.g. the signed transaction and its hash), then the result.
/// After a restart it first settles open batches (finds their anchor by ticket or root, or sends the same
/// ticket again), so a batch is never lost and never anchored twice. Unreachable ledgers are retried with
/// exponential back-off and jitter (a Polly retry pipeline on the options' <see cref="TimeProvider"/>); a refusal (revert, wrong chain, out of gas) marks the batch failed with the message.
/// </summary>
public sealed class TraceDispatcher : IAsyncDisposable
{
    private static readonly ActivitySource Source = new("ImagingRepo.Tracing");

    private readonly TraceOutbox _outbox;
    private readonly ITraceLedger _ledger;
    private readonly TraceDispatcherOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private readonly ResiliencePipeline _retry;
    private Task? _loop;
    private int _disposed;

    /// <summary>Creates a dispatcher (call <see cref="Start"/> to run it).</summary>
    /// <param name="outbox">The outbox.</param>
    /// <param name="ledger">The ledger.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="logger">Logger, or null.</param>
    public TraceDispatcher(TraceOutbox outbox, ITraceLedger ledger, TraceDispatcherOptions? options = null, ILogger<TraceDispatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(ledger);
        _outbox = outbox;
        _ledger = ledger;
        _options = options ?? new TraceDispatcherOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _retry = BuildRetryPipeline();
        _outbox.Committed += OnCommitted;
    }

    /// <summary>The last error met while anchoring, for status displays.</summary>
    public string? LastError { get; private set; }

    /// <summary>Starts the background loop.</summary>
    public void Start()
    {
        if (_loop is not null) throw new InvalidOperationException("the dispatcher is already running");
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Runs one pass by hand: settles open batches, then anchors everything waiting, window or not.</summary>
    /// <param name="cancellationToken">Cancels the pass.</param>
    /// <exception cref="LedgerException">The ledger could not be reached.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await SettleOpenBatchesAsync(cancellationToken).ConfigureAwait(false);
        while (await _outbox.Batches.CreateBatchAsync(_options.MaxBatchSize, cancellationToken).ConfigureAwait(false) is not null)
        {
            await SettleOpenBatchesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the loop (open batches are settled on the next start).</summary>
    public async ValueTask DisposeAsync()
    {
        // Both a host stopping it and the TraceStore owning it dispose it.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _outbox.Committed -= OnCommitted;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        }

        _stop.Dispose();
        _signal.Dispose();
    }

    private void OnCommitted()
    {
        try
        {
            _signal.Release();
        }
        catch (ObjectDisposedException)
        {
            // raced with DisposeAsync
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                // A failed pass is retried by the pipeline after its back-off; a pass that succeeds says how long to idle.
                wait = await _retry.ExecuteAsync(static (self, ct) => self.PassAsync(ct), this, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (wait == TimeSpan.Zero) continue; // a batch was just closed: settle it right away

            try
            {
                await _signal.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: settles open batches, closes a batch when one is due. Returns how long to idle (zero: go on).</summary>
    private async ValueTask<TimeSpan> PassAsync(CancellationToken cancellationToken)
    {
        await SettleOpenBatchesAsync(cancellationToken).ConfigureAwait(false);
        var (count, oldest) = await _outbox.Batches.GetWaitingAsync(cancellationToken).ConfigureAwait(false);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var due = oldest + (long)_options.Window.TotalMilliseconds;
        if (count > 0 && (count >= _options.MaxBatchSize || now >= due))
        {
            await _outbox.Batches.CreateBatchAsync(_options.MaxBatchSize, cancellationToken).ConfigureAwait(false);
            return TimeSpan.Zero;
        }

        LastError = null;
        var wait = count > 0 ? TimeSpan.FromMilliseconds(Math.Max(1, due - now)) : _options.PollInterval;
        return wait > _options.PollInterval ? _options.PollInterval : wait;
    }

    /// <summary>
    /// Unreachable ledgers (transient <see cref="LedgerException"/>) and database or unexpected errors are retried
    /// without limit, with exponential back-off and jitter between <see cref="TraceDispatcherOptions.RetryDelay"/> and
    /// <see cref="TraceDispatcherOptions.MaxRetryDelay"/>; stopping the dispatcher cancels the wait.
    /// </summary>
    private ResiliencePipeline BuildRetryPipeline() =>
        new ResiliencePipelineBuilder { TimeProvider = _options.TimeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay < _options.MaxRetryDelay ? _options.RetryDelay : _options.MaxRetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                OnRetry = args =>
                {
                    var e = args.Outcome.Exception!;
                    LastError = e.Message;
                    _logger.LogWarning(e, "Anchoring on {Ledger} failed ({Failures} in a row); retrying in {Delay}", _ledger.Description, args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    private async Task SettleOpenBatchesAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in await _outbox.Batches.GetOpenBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            await SettleAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SettleAsync(OpenBatch batch, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("anchor batch");
        activity?.SetTag("imagingrepo.batch.id", batch.Id);
        activity?.SetTag("imagingrepo.batch.count", batch.Entries.Count);
        var ledgerBatch = batch.ToLedgerBatch();
        try
        {
            var ticket = batch.Ticket;
            if (ticket is not null)
            {
                // A write was prepared before (perhaps sent, perhaps not, before a crash): look for it first.
                var found = await _ledger.GetAnchorAsync(ledgerBatch, ticket, cancellationToken).ConfigureAwait(false);
                if (found is not null)
                {
                    await _outbox.Batches.MarkAnchoredAsync(batch.Id, found, cancellationToken).ConfigureAwait(false);
                    return;
                }

                try
                {
                    await _ledger.SendAsync(ticket, cancellationToken).ConfigureAwait(false);
                }
                catch (LedgerTicketExpiredException e)
                {
                    _logger.LogInformation("Ticket {Ticket} of batch {Batch} can no longer be sent ({Reason}); preparing a new one", ticket.Reference, batch.Id, e.Message);
                    ticket = null;
                }
            }

            if (ticket is null)
            {
                ticket = await _ledger.PrepareAsync(ledgerBatch, cancellationToken).ConfigureAwait(false);
                await _outbox.Batches.SetTicketAsync(batch.Id, ticket, cancellationToken).ConfigureAwait(false);
                await _ledger.SendAsync(ticket, cancellationToken).ConfigureAwait(false);
            }

            var anchor = await _ledger.GetAnchorAsync(ledgerBatch, ticket, cancellationToken).ConfigureAwait(false)
                ?? throw new LedgerException($"batch {batch.Id} was sent as {ticket.Reference} but is not confirmed yet", isTransient: true);
            await _outbox.Batches.MarkAnchoredAsync(batch.Id, anchor, cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("Batch {Batch} ({Count} traces) anchored in {Reference}", batch.Id, batch.Entries.Count, anchor.Reference);
        }
        catch (LedgerException e) when (!e.IsTransient)
        {
            _logger.LogError("Batch {Batch} ({Count} traces) refused by {Ledger}: {Message}", batch.Id, batch.Entries.Count, _ledger.Description, e.Message);
            await _outbox.Batches.MarkFailedAsync(batch.Id, e.Message, cancellationToken).ConfigureAwait(false);
        }
    }
}
