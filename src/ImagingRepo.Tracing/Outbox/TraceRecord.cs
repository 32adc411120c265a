using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Where a recorded trace stands (the tracer's WAITING … BLOCKCHAIN_SUCCESS, simplified).</summary>
public enum TraceStatus
{
    /// <summary>Committed locally, not yet in a batch.</summary>
    Waiting = 0,

    /// <summary>In a batch that is being anchored.</summary>
    Submitted = 1,

    /// <summary>Anchored on the ledger; the record holds its inclusion proof.</summary>
    Anchored = 2,

    /// <summary>The ledger refused its batch; <see cref="TraceRecord.Message"/> has the ledger's message.</summary>
    Failed = 3,
}

/// <summary>A trace as the outbox holds it.</summary>
public sealed record TraceRecord
{
    /// <summary>Local sequence number (recording order).</summary>
    public required long Sequence { get; init; }

    /// <summary>The trace (user id already pseudonymized).</summary>
    public required Trace Trace { get; init; }

    /// <summary>The canonical JSON bytes as stored, which the Merkle leaf is computed over.</summary>
    public required ReadOnlyMemory<byte> CanonicalJson { get; init; }

    /// <summary>
    /// The canonical form <see cref="CanonicalJson"/> was written in, which the trace is verified against
    /// (<see cref="TraceCanonicalForm.Original"/> for traces recorded before the form was fixed).
    /// </summary>
    public TraceCanonicalForm CanonicalForm { get; init; } = TraceSerializer.CurrentCanonicalForm;

    /// <summary>Status.</summary>
    public required TraceStatus Status { get; init; }

    /// <summary>The ledger's message when <see cref="Status"/> is <see cref="TraceStatus.Failed"/>.</summary>
    public string? Message { get; init; }

    /// <summary>When it was recorded (Unix ms).</summary>
    public required long RecordedAt { get; init; }

    /// <summary>When it was anchored (Unix ms), if it was.</summary>
    public long? AnchoredAt { get; init; }

    /// <summary>Local batch number, once batched.</summary>
    public long? BatchId { get; init; }

    /// <summary>Index of its leaf in the batch's tree.</summary>
    public int? LeafIndex { get; init; }

    /// <summary>Inclusion path from its leaf to <see cref="Root"/>, once batched.</summary>
    public IReadOnlyList<MerkleStep>? Path { get; init; }

    /// <summary>The batch's Merkle root, once batched.</summary>
    public ReadOnlyMemory<byte>? Root { get; init; }

    /// <summary>Number of traces in its batch.</summary>
    public int? BatchCount { get; init; }

    /// <summary>The ledger's description, once anchored.</summary>
    public string? Ledger { get; init; }

    /// <summary>The batch's number on the ledger, once anchored.</summary>
    public long? LedgerBatchNumber { get; init; }

    /// <summary>Transaction or record hash holding the batch, once anchored.</summary>
    public string? AnchorReference { get; init; }

    /// <summary>Block number or record sequence of the anchor.</summary>
    public long? AnchorPosition { get; init; }
}

/// <summary>Filters of <see cref="TraceOutbox.ListAsync"/>.</summary>
/// <param name="Status">Only this status.</param>
/// <param name="DatasetId">Only traces concerning this dataset.</param>
/// <param name="Action">Only this action.</param>
/// <param name="AfterSequence">Only records after this sequence number (paging).</param>
/// <param name="Limit">At most this many (1..10,000).</param>
public sealed record TraceListQuery(TraceStatus? Status = null, string? DatasetId = null, TraceUserAction? Action = null, long AfterSequence = 0, int Limit = 100);

/// <summary>Counts of traces per status.</summary>
/// <param name="Waiting">Waiting.</param>
/// <param name="Submitted">Submitted.</param>
/// <param name="Anchored">Anchored.</param>
/// <param name="Failed">Failed.</param>
public sealed record TraceStatusCounts(long Waiting, long Submitted, long Anchored, long Failed)
{
    /// <summary>All traces.</summary>
    public long Total => Waiting + Submitted + Anchored + Failed;
}

/// <summary>The same trace id was recorded twice with different content.</summary>
public sealed class DuplicateTraceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DuplicateTraceException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which id.</param>
    public DuplicateTraceException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which id.</param>
    /// <param name="innerException">The cause.</param>
    public DuplicateTraceException(string message, Exception innerException) : base(message, innerException) { }
}
