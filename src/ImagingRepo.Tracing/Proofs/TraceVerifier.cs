using System.Text;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Tracing.Proofs;

/// <summary>Outcome of a verification.</summary>
public enum TraceVerificationStatus
{
    /// <summary>The trace is included in a batch whose root is on the ledger.</summary>
    Anchored,

    /// <summary>The trace is unknown, still waiting, failed, or its root is not on the ledger.</summary>
    NotAnchored,

    /// <summary>The trace's content does not match what was anchored.</summary>
    Tampered,
}

/// <summary>A verification result.</summary>
/// <param name="Status">Outcome.</param>
/// <param name="Reason">Why, in one sentence.</param>
/// <param name="Proof">The inclusion proof when anchored.</param>
public sealed record TraceVerification(TraceVerificationStatus Status, string Reason, TraceProof? Proof);

/// <summary>
/// Checks traces against their inclusion proofs and the ledger: recomputes the leaf from the trace's canonical
/// JSON, folds the stored path, compares with the batch root, and asks the ledger whether the root is anchored.
/// </summary>
public sealed class TraceVerifier
{
    private readonly TraceOutbox _outbox;
    private readonly ITraceLedger _ledger;
    private readonly UserPseudonymizer? _pseudonymizer;

    /// <summary>Creates a verifier.</summary>
    /// <param name="outbox">Where proofs are kept.</param>
    /// <param name="ledger">The ledger to check roots on.</param>
    /// <param name="pseudonymizer">The same pseudonymizer the outbox uses, so that traces with plain user ids can be checked.</param>
    public TraceVerifier(TraceOutbox outbox, ITraceLedger ledger, UserPseudonymizer? pseudonymizer = null)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(ledger);
        _outbox = outbox;
        _ledger = ledger;
        _pseudonymizer = pseudonymizer;
    }

    /// <summary>
    /// Verifies a trace as presented by someone (e.g. read back from the tracer API): its canonical JSON, in the form the
    /// recorded trace was stored and anchored with, must be the anchored leaf. A plain user id is pseudonymized in the
    /// pseudonym version of the recorded trace.
    /// </summary>
    /// <param name="trace">The trace to check.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceVerification> VerifyAsync(Trace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var record = await _outbox.GetAsync(trace.Id, cancellationToken).ConfigureAwait(false);
        if (record is null) return new TraceVerification(TraceVerificationStatus.NotAnchored, $"trace {trace.Id} is not recorded", null);
        if (_pseudonymizer is not null) trace = _pseudonymizer.ApplyLike(trace, record.Trace.UserId);
        return await VerifyAsync(record, TraceSerializer.Serialize(trace, record.CanonicalForm), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Verifies the trace stored under an id (detects edits of the local store).</summary>
    /// <param name="id">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceVerification> VerifyStoredAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var record = await _outbox.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null) return new TraceVerification(TraceVerificationStatus.NotAnchored, $"trace {id} is not recorded", null);
        return await VerifyAsync(record, record.CanonicalJson.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The exportable proof of an anchored trace, or null when it is not anchored.</summary>
    /// <param name="id">The trace id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<TraceProof?> ExportProofAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var record = await _outbox.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return record is null || record.Status != TraceStatus.Anchored ? null : ToProof(record, record.CanonicalJson.ToArray());
    }

    /// <summary>
    /// Checks an exported proof: inclusion offline, then the root on this verifier's ledger.
    /// </summary>
    /// <param name="proof">The proof.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<TraceVerification> VerifyProofAsync(TraceProof proof, CancellationToken cancellationToken = default) =>
        VerifyProofOnLedgerAsync(proof, _ledger, cancellationToken);

    /// <summary>
    /// Verifies an exported proof against a ledger alone: what someone who holds a proof but no outbox (an auditor,
    /// a partner) can check.
    /// </summary>
    /// <param name="proof">The proof.</param>
    /// <param name="ledger">The ledger its root should be anchored on.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<TraceVerification> VerifyProofOnLedgerAsync(TraceProof proof, ITraceLedger ledger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(ledger);
        if (!proof.VerifyInclusion()) return new TraceVerification(TraceVerificationStatus.Tampered, "the trace and path do not lead to the proof's root", proof);
        var anchor = await ledger.FindRootAsync(Convert.FromHexString(proof.Root), cancellationToken).ConfigureAwait(false);
        return anchor is null
            ? new TraceVerification(TraceVerificationStatus.NotAnchored, $"root {proof.Root} is not on {ledger.Description}", proof)
            : new TraceVerification(TraceVerificationStatus.Anchored, $"root anchored in batch {anchor.BatchNumber} ({anchor.Reference})", proof);
    }

    private async Task<TraceVerification> VerifyAsync(TraceRecord record, byte[] json, CancellationToken cancellationToken)
    {
        var matchesRecord = json.AsSpan().SequenceEqual(record.CanonicalJson.Span);
        if (record.Status != TraceStatus.Anchored || record.Path is null || record.Root is null)
        {
            return matchesRecord
                ? new TraceVerification(TraceVerificationStatus.NotAnchored, $"trace is {record.Status.ToString().ToLowerInvariant()}{(record.Message is null ? "" : ": " + record.Message)}", null)
                : new TraceVerification(TraceVerificationStatus.Tampered, "trace differs from the recorded one (not yet anchored)", null);
        }

        var root = MerkleTree.ComputeRoot(MerkleTree.HashLeaf(json), record.Path);
        if (!root.AsSpan().SequenceEqual(record.Root.Value.Span))
        {
            return new TraceVerification(TraceVerificationStatus.Tampered, "trace content does not match the anchored leaf", null);
        }

        var anchor = await _ledger.FindRootAsync(root, cancellationToken).ConfigureAwait(false);
        var proof = ToProof(record, json);
        return anchor is null
            ? new TraceVerification(TraceVerificationStatus.NotAnchored, $"root {proof.Root} is not on {_ledger.Description}", proof)
            : new TraceVerification(TraceVerificationStatus.Anchored, $"anchored in batch {anchor.BatchNumber} ({anchor.Reference})", proof);
    }

    private static TraceProof ToProof(TraceRecord record, byte[] json)
    {
        var steps = new List<ProofStep>();
        foreach (var step in record.Path ?? [])
        {
            steps.Add(new ProofStep(step.SiblingIsLeft ? ProofStep.Left : ProofStep.Right, Convert.ToHexStringLower(step.Sibling.Span)));
        }

        return new TraceProof
        {
            TraceId = record.Trace.Id,
            Trace = Encoding.UTF8.GetString(json),
            LeafHash = Convert.ToHexStringLower(MerkleTree.HashLeaf(json)),
            LeafIndex = record.LeafIndex ?? 0,
            BatchSize = record.BatchCount ?? 0,
            Path = steps,
            Root = record.Root is { } r ? Convert.ToHexStringLower(r.Span) : "",
            Anchor = new ProofAnchor(record.Ledger ?? "", record.LedgerBatchNumber ?? 0, record.AnchorReference ?? "", record.AnchorPosition ?? 0),
        };
    }
}
