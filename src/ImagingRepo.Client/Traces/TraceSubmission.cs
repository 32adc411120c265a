using System.Text.Json;

namespace ImagingRepo.Client.Traces;

/// <summary>What a tracer answered to a recorded trace.</summary>
/// <param name="TraceId">The id the tracer gave the trace: the EUCAIM service's created id; null for the CHAIMELEON tracer, which answers statuses only.</param>
/// <param name="Statuses">
/// The CHAIMELEON tracer's answer as it sent it (its cache-status objects, WAITING … BLOCKCHAIN_SUCCESS, one per blockchain);
/// null for the EUCAIM service.
/// </param>
public sealed record TraceSubmission(string? TraceId, JsonElement? Statuses);

/// <summary>A summary in the CHAIMELEON tracer's list, with the blockchain that holds it.</summary>
/// <param name="Blockchain">The blockchain (<c>blockchain</c>).</param>
/// <param name="Summary">The summary.</param>
public sealed record TracerV1ListedTrace(string Blockchain, ImagingRepo.Tracing.Compatibility.TracerV1TraceSummary Summary);

/// <summary>The filters of the CHAIMELEON tracer's list (<c>GET /api/v1/traces</c>); each list is sent as a repeated parameter.</summary>
public sealed record TracerV1Query
{
    /// <summary>Acting users (<c>userId</c>; the tracer compares them lower-cased).</summary>
    public IReadOnlyList<string> UserIds { get; init; } = [];

    /// <summary>Calling services' users (<c>callerUserId</c>).</summary>
    public IReadOnlyList<string> CallerUserIds { get; init; } = [];

    /// <summary>Datasets (<c>datasetId</c>).</summary>
    public IReadOnlyList<string> DatasetIds { get; init; } = [];

    /// <summary>Actions (<c>userAction</c>, in the request spelling).</summary>
    public IReadOnlyList<ImagingRepo.Tracing.Model.TraceUserAction> UserActions { get; init; } = [];

    /// <summary>One blockchain only (<c>blockchain</c>), or null for all.</summary>
    public string? Blockchain { get; init; }
}
