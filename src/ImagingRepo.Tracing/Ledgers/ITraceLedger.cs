using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>
/// Where batches of traces are anchored. Anchoring is split in three steps so that the outbox can persist
/// what it is about to send before it sends it (<see cref="PrepareAsync"/>), send it (<see cref="SendAsync"/>),
/// and find out afterwards, even after a crash, whether it landed (<see cref="GetAnchorAsync"/>).
/// A ledger holds a file or a connection to a node: whoever opened it disposes it (a <see cref="TraceStore"/> disposes its own).
/// </summary>
public interface ITraceLedger : IAsyncDisposable
{
    /// <summary>Short description for logs and the CLI (e.g. <c>ethereum 31337 0xabc…</c>).</summary>
    string Description { get; }

    /// <summary>Builds the ledger write for a batch without sending it (e.g. signs the transaction).</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerException">The ledger refused or could not be reached.</exception>
    Task<LedgerTicket> PrepareAsync(LedgerBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Sends a prepared write. Sending the same ticket twice is harmless.</summary>
    /// <param name="ticket">The prepared write.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerException">The ledger refused (permanent) or could not be reached (transient).</exception>
    Task SendAsync(LedgerTicket ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// The anchor of a batch whose ticket was sent: found by the ticket (e.g. its receipt) or, failing that, by
    /// the batch's root. Null when the ledger does not have it (not sent, dropped, or not yet mined).
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="ticket">Its ticket, when one was prepared.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerException">The write failed on the ledger (e.g. reverted), or the ledger could not be reached.</exception>
    Task<LedgerAnchor?> GetAnchorAsync(LedgerBatch batch, LedgerTicket? ticket, CancellationToken cancellationToken = default);

    /// <summary>The anchor holding a Merkle root, or null when none does.</summary>
    /// <param name="root">The 32-byte root.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<LedgerAnchor?> FindRootAsync(ReadOnlyMemory<byte> root, CancellationToken cancellationToken = default);

    /// <summary>Anchored traces matching a query, from the ledger's own index (event logs, not scans of traces).</summary>
    /// <param name="query">Filters; all null means every anchored trace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    IAsyncEnumerable<LedgerTraceEntry> QueryAsync(LedgerQuery query, CancellationToken cancellationToken = default);
}

/// <summary>One trace's entry in a batch as the ledger sees it: only ids and the action, no personal data.</summary>
/// <param name="TraceId">The trace id.</param>
/// <param name="Action">Its user action.</param>
/// <param name="DatasetIds">The dataset ids it concerns (indexed by the ledger).</param>
public sealed record LedgerEntry(Guid TraceId, TraceUserAction Action, IReadOnlyList<string> DatasetIds);

/// <summary>A batch to anchor: the Merkle root over the traces' leaves and their entries in leaf order.</summary>
/// <param name="Root">32-byte Merkle root.</param>
/// <param name="Entries">The traces in leaf order.</param>
public sealed record LedgerBatch(ReadOnlyMemory<byte> Root, IReadOnlyList<LedgerEntry> Entries);

/// <summary>A prepared ledger write, persisted by the outbox before it is sent.</summary>
/// <param name="Reference">What identifies the write on the ledger (a transaction hash, a root).</param>
/// <param name="Payload">What to send again on recovery (a signed raw transaction), or null.</param>
public sealed record LedgerTicket(string Reference, string? Payload);

/// <summary>Where a batch is anchored.</summary>
/// <param name="Ledger">The ledger's description.</param>
/// <param name="BatchNumber">The batch's number on the ledger.</param>
/// <param name="Reference">The transaction hash or record hash that holds it.</param>
/// <param name="Position">Block number or record sequence number.</param>
/// <param name="Root">The anchored root.</param>
/// <param name="Count">Number of traces in the batch.</param>
public sealed record LedgerAnchor(string Ledger, long BatchNumber, string Reference, long Position, ReadOnlyMemory<byte> Root, int Count);

/// <summary>Filters of <see cref="ITraceLedger.QueryAsync"/>; null fields match everything.</summary>
/// <param name="DatasetId">Only traces concerning this dataset.</param>
/// <param name="Action">Only traces of this action.</param>
/// <param name="TraceId">Only this trace.</param>
public sealed record LedgerQuery(string? DatasetId = null, TraceUserAction? Action = null, Guid? TraceId = null);

/// <summary>An anchored trace found by a query.</summary>
/// <param name="TraceId">The trace id.</param>
/// <param name="Action">Its action.</param>
/// <param name="DatasetKey">Keccak-256 of the dataset id it was indexed under (empty when none).</param>
/// <param name="BatchNumber">Its batch on the ledger.</param>
/// <param name="Reference">The transaction hash or record hash.</param>
public sealed record LedgerTraceEntry(Guid TraceId, TraceUserAction Action, ReadOnlyMemory<byte> DatasetKey, long BatchNumber, string Reference);

/// <summary>A ledger refused a write or could not be reached.</summary>
public sealed class LedgerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The ledger's message.</param>
    public LedgerException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The ledger's message.</param>
    /// <param name="innerException">The cause.</param>
    public LedgerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The ledger's message.</param>
    /// <param name="isTransient">True when trying again later may succeed (the ledger was unreachable).</param>
    /// <param name="innerException">The cause, if any.</param>
    public LedgerException(string message, bool isTransient, Exception? innerException = null) : base(message, innerException) =>
        IsTransient = isTransient;

    /// <summary>True when trying again later may succeed (unreachable, timeout); false when the ledger refused.</summary>
    public bool IsTransient { get; }
}

/// <summary>A prepared ledger write can no longer be sent (e.g. its nonce was used); the dispatcher prepares a new one.</summary>
public sealed class LedgerTicketExpiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerTicketExpiredException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    public LedgerTicketExpiredException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why.</param>
    /// <param name="innerException">The cause.</param>
    public LedgerTicketExpiredException(string message, Exception innerException) : base(message, innerException) { }
}
