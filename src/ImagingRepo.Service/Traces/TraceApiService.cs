using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Traces;

/// <summary>
/// The tracer API on the service's trace outbox: records what callers post (CHAIMELEON tracer V1 requests and EUCAIM v2
/// requests), lists and reads traces in those services' shapes, and exports the inclusion proof of an anchored trace.
/// User ids are pseudonymized before they are stored, and filter values are pseudonymized the same way, so a caller may
/// filter by the user id it knows.
/// </summary>
internal sealed class TraceApiService(TraceStoreProvider traces, IOptions<ServiceOptions> options, TimeProvider time)
{
    /// <summary>Most traces one list page may hold.</summary>
    public const int MaxPage = 1_000;

    /// <summary>Rows read from the outbox at a time while a list is filtered.</summary>
    private const int ScanPage = 1_000;

    /// <summary>The name our outbox and ledger answer to where the tracer names a blockchain.</summary>
    public string Blockchain => options.Value.TracerBlockchain;

    /// <summary>Records a V1 request; answers what the tracer answers: one cache entry per blockchain.</summary>
    public async Task<IReadOnlyList<TracerCacheEntryWire>> RecordV1Async(PlatformUser caller, byte[] body, CancellationToken cancellationToken)
    {
        var callerId = RequireWriter(caller);
        var id = Guid.NewGuid();
        var now = time.GetUtcNow();
        TracerV1Request request;
        try
        {
            request = TracerV1Mapper.FromRequest(body, id, callerId, now.ToUnixTimeMilliseconds());
        }
        catch (TraceFormatException e)
        {
            throw ServiceProblemException.Invalid(e.Message);
        }

        if (request.Blockchains is { Count: > 0 } asked && !asked.Any(b => IsOurs(b)))
        {
            throw ServiceProblemException.Invalid($"'blockchains': this tracer records on {Blockchain} (or ALL_ENABLED) only.");
        }

        await RecordAsync(request.Trace, cancellationToken).ConfigureAwait(false);
        var stamp = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return [new TracerCacheEntryWire(Guid.NewGuid().ToString("D"), null, stamp, stamp, "WAITING", null, Blockchain, callerId, id.ToString("D"))];
    }

    /// <summary>Records a v2 request; answers the id the trace was given.</summary>
    public async Task<Guid> RecordV2Async(PlatformUser caller, byte[] body, CancellationToken cancellationToken)
    {
        var callerId = RequireWriter(caller);
        var id = Guid.NewGuid();
        Trace trace;
        try
        {
            trace = TracerV2Mapper.FromRequest(body, id, callerId, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
        catch (TraceFormatException e)
        {
            throw ServiceProblemException.Invalid(e.Message);
        }

        await RecordAsync(trace, cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The V1 list: one page for our blockchain (none when the filter names only others).</summary>
    public async Task<IReadOnlyList<TracerV1TracePage>> ListV1Async(PlatformUser caller, TraceFilter filter, int skip, int limit, CancellationToken cancellationToken)
    {
        RequireReader(caller);
        if (filter.Blockchains.Count > 0 && !filter.Blockchains.Any(IsOurs)) return [];
        var (matches, total) = await FindAsync(filter, skip, limit, cancellationToken).ConfigureAwait(false);
        return [new TracerV1TracePage(Blockchain, [.. matches.Select(r => TracerWireSerializer.ToV1Summary(TracerTrace.From(r.Trace)))], total)];
    }

    /// <summary>The V1 answer by id: our blockchain's entry, with the trace or null when we do not have it.</summary>
    public async Task<IReadOnlyList<TracerV1BlockchainTrace>> GetV1Async(PlatformUser caller, string id, CancellationToken cancellationToken)
    {
        RequireReader(caller);
        var record = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return [new TracerV1BlockchainTrace(Blockchain, record is null ? null : TracerTrace.From(record.Trace))];
    }

    /// <summary>A v2 page of the traces, optionally of one dataset (v2 knows the dataset actions only: model traces are left out).</summary>
    public async Task<TracerV2TracePage> ListV2Async(PlatformUser caller, string? datasetId, int skip, int limit, CancellationToken cancellationToken)
    {
        RequireReader(caller);
        var filter = new TraceFilter { DatasetIds = datasetId is null ? [] : [datasetId], V2Only = true };
        var (matches, total) = await FindAsync(filter, skip, limit, cancellationToken).ConfigureAwait(false);
        return new TracerV2TracePage(total, skip, limit, [.. matches.Select(r => TracerTrace.From(r.Trace))]);
    }

    /// <summary>A v2 trace by id.</summary>
    public async Task<TracerTrace> GetV2Async(PlatformUser caller, string id, CancellationToken cancellationToken)
    {
        RequireReader(caller);
        if (!Guid.TryParseExact(id, "D", out _)) throw ServiceProblemException.Invalid($"'{id}' is not a UUID.");
        var record = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (record is null || !IsV2Action(record.Trace.UserAction)) throw ServiceProblemException.NotFound($"No trace '{id}'.");
        return TracerTrace.From(record.Trace);
    }

    /// <summary>The inclusion proof of an anchored trace (our own addition); 409 while the trace waits for its anchor.</summary>
    public async Task<TraceProof> ProofAsync(PlatformUser caller, string id, CancellationToken cancellationToken)
    {
        RequireReader(caller);
        var record = await GetAsync(id, cancellationToken).ConfigureAwait(false) ?? throw ServiceProblemException.NotFound($"No trace '{id}'.");
        var store = await traces.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        if (!store.HasLedger) throw ServiceProblemException.Conflict("This service anchors no traces: no ledger is configured.");
        var proof = await store.Verifier.ExportProofAsync(record.Trace.Id, cancellationToken).ConfigureAwait(false);
        return proof ?? throw ServiceProblemException.Conflict($"Trace '{id}' is {record.Status.ToString().ToLowerInvariant()}: it has no proof until it is anchored.");
    }

    private async Task RecordAsync(Trace trace, CancellationToken cancellationToken)
    {
        var store = await traces.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        if (store.Pseudonymizer is { } pseudonymizer) trace = pseudonymizer.Apply(trace);
        try
        {
            TraceSerializer.Validate(trace);
        }
        catch (TraceFormatException e)
        {
            throw ServiceProblemException.Invalid(e.Message);
        }

        await store.Outbox.RecordAsync(trace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TraceRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 256) throw ServiceProblemException.Invalid("A trace id has 1 to 256 characters.");
        var store = await traces.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        return await store.Outbox.GetAsync(TracerTrace.TraceIdOf(id), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The matching traces of one page and how many match in all, newest first as the tracer lists them. The outbox
    /// narrows by one dataset or one action through its indexes; the other filters are applied to what it returns.
    /// </summary>
    private async Task<(IReadOnlyList<TraceRecord> Page, long Total)> FindAsync(TraceFilter filter, int skip, int limit, CancellationToken cancellationToken)
    {
        var store = await traces.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        // The tracer lower-cases userId filters; a caller knows the plain id, the outbox holds its pseudonym: either matches.
        var users = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var u in filter.UserIds)
        {
            users.Add(u);
            if (store.Pseudonymizer is { } pseudonymizer)
            {
                users.Add(pseudonymizer.Pseudonymize(u));
                users.Add(pseudonymizer.Pseudonymize(u.ToLowerInvariant()));
            }
        }

        var callers = filter.CallerIds.ToHashSet(StringComparer.Ordinal);
        var datasets = filter.DatasetIds.ToHashSet(StringComparer.Ordinal);
        var actions = filter.Actions.ToHashSet();
        var query = new TraceListQuery(
            DatasetId: datasets.Count == 1 ? datasets.First() : null,
            Action: actions.Count == 1 ? actions.First() : null,
            Limit: ScanPage);

        var matches = new List<TraceRecord>();
        var after = 0L;
        while (true)
        {
            var rows = await store.Outbox.ListAsync(query with { AfterSequence = after }, cancellationToken).ConfigureAwait(false);
            foreach (var row in rows)
            {
                var t = row.Trace;
                if (users.Count > 0 && !users.Contains(t.UserId)) continue;
                if (callers.Count > 0 && !callers.Contains(t.CallerId)) continue;
                if (actions.Count > 0 && !actions.Contains(t.UserAction)) continue;
                if (datasets.Count > 0 && !t.ReferencedDatasetIds.Any(datasets.Contains)) continue;
                if (filter.V2Only && !IsV2Action(t.UserAction)) continue;
                matches.Add(row);
            }

            if (rows.Count < ScanPage) break;
            after = rows[^1].Sequence;
        }

        matches.Reverse();
        return ([.. matches.Skip(skip).Take(limit)], matches.Count);
    }

    private bool IsOurs(string blockchain) =>
        string.Equals(blockchain, Blockchain, StringComparison.OrdinalIgnoreCase) || string.Equals(blockchain, "ALL_ENABLED", StringComparison.OrdinalIgnoreCase);

    private static bool IsV2Action(TraceUserAction action) =>
        action is TraceUserAction.CreateDataset or TraceUserAction.UpdateDataset or TraceUserAction.UseDatasets;

    /// <summary>Writers: the tracer's TRACE_WRITER (<c>trace_writer</c>), the Kubernetes operator's role, superadmins.</summary>
    private static string RequireWriter(PlatformUser caller)
    {
        if (!caller.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!(caller.Has(TracerRoles.TraceWriter) || caller.CanAdminDatasetAccess || caller.IsSuperadmin))
        {
            throw ServiceProblemException.Forbidden($"Recording traces needs the role {TracerRoles.TraceWriter}, {PlatformRoles.AdminDatasetAccess} or {PlatformRoles.SuperadminDatasets}.");
        }

        return caller.UserName ?? caller.Uid!;
    }

    /// <summary>Traces hold ids, hashes and pseudonyms only: any signed-in caller may read them.</summary>
    private static void RequireReader(PlatformUser caller)
    {
        if (!caller.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
    }
}

/// <summary>The tracer's own roles beside the platform's.</summary>
internal static class TracerRoles
{
    /// <summary>May record traces (the CHAIMELEON tracer's TRACE_WRITER).</summary>
    public const string TraceWriter = "trace_writer";
}

/// <summary>The filters of <c>GET /api/v1/traces</c> (each repeatable; values of one filter are alternatives).</summary>
internal sealed record TraceFilter
{
    public IReadOnlyList<string> UserIds { get; init; } = [];
    public IReadOnlyList<string> CallerIds { get; init; } = [];
    public IReadOnlyList<string> DatasetIds { get; init; } = [];
    public IReadOnlyList<TraceUserAction> Actions { get; init; } = [];
    public IReadOnlyList<string> Blockchains { get; init; } = [];

    /// <summary>Only the actions the EUCAIM v2 service knows.</summary>
    public bool V2Only { get; init; }
}

/// <summary>
/// One entry of the CHAIMELEON tracer's answer to a POST: the request's place in its cache (our outbox) for one blockchain.
/// </summary>
internal sealed record TracerCacheEntryWire(
    string Id, string? TransactionId, string CreationDate, string ModificationDate, string Status, string? StatusMessage,
    string BlockchainType, string CallerUserId, string TraceId);
