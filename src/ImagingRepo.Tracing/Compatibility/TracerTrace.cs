using System.Security.Cryptography;
using System.Text;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>
/// A trace as a tracer service returns it: the tracer's own id string and the trace in ImagingRepo's model. The CHAIMELEON
/// tracer V1 gives any string as id (UUIDs since September 2022, epoch-millisecond strings before); where it is not a
/// UUID, <see cref="Trace"/>'s id is derived from it by <see cref="TraceIdOf"/>, and writing the trace back writes
/// <see cref="Id"/>.
/// </summary>
public sealed record TracerTrace
{
    // Namespace of the name-based trace ids (RFC 9562 version 8, SHA-256): fixed, so that the same tracer id always
    // gives the same trace id.
    private static readonly byte[] IdNamespace = Guid.Parse("7c1e6f0a-3b52-4d8e-9a41-2f6b0c9d5e17").ToByteArray(bigEndian: true);

    /// <summary>The id as the tracer wrote it (<c>id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The trace.</summary>
    public required Trace Trace { get; init; }

    /// <summary>A trace of ImagingRepo's, under its own id.</summary>
    /// <param name="trace">The trace.</param>
    public static TracerTrace From(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return new TracerTrace { Id = trace.Id.ToString("D"), Trace = trace };
    }

    /// <summary>
    /// The trace id of a tracer id: the UUID itself when it is one (<c>8-4-4-4-12</c> hex digits), otherwise a
    /// name-based UUID (RFC 9562 version 8: SHA-256 over a fixed namespace and the id's UTF-8 bytes), the same on
    /// every machine.
    /// </summary>
    /// <param name="tracerId">The tracer's id.</param>
    public static Guid TraceIdOf(string tracerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tracerId);
        if (Guid.TryParseExact(tracerId, "D", out var uuid)) return uuid;
        var name = Encoding.UTF8.GetBytes(tracerId);
        var input = new byte[IdNamespace.Length + name.Length];
        IdNamespace.CopyTo(input, 0);
        name.CopyTo(input, IdNamespace.Length);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}

/// <summary>One entry of the CHAIMELEON tracer's answer to <c>GET /api/v1/traces/{id}</c>: a blockchain and the trace found there.</summary>
/// <param name="Blockchain">The blockchain (<c>blockchain</c>, e.g. <c>BESU_PRIVATE</c>).</param>
/// <param name="Trace">The trace (<c>trace</c>), or null when that blockchain does not have it.</param>
public sealed record TracerV1BlockchainTrace(string Blockchain, TracerTrace? Trace);

/// <summary>A trace summary in the CHAIMELEON tracer's list (<c>GET /api/v1/traces</c>).</summary>
/// <param name="Version">Format version (<c>version</c>, "V1").</param>
/// <param name="Id">The tracer's id (<c>id</c>).</param>
/// <param name="Timestamp">When it was recorded (<c>timestamp</c>, an ISO-8601 instant on the wire).</param>
/// <param name="UserId">The acting user (<c>userId</c>).</param>
/// <param name="CallerId">The service that sent it (<c>callerId</c>).</param>
/// <param name="UserAction">The action (<c>userAction</c>; the model actions are spelled <c>CREATE_MODEL_POD</c> and <c>USE_MODEL_POD</c>).</param>
/// <param name="Details">The details (<c>details</c>: the update details of an UPDATE_DATASET, or null).</param>
public sealed record TracerV1TraceSummary(
    string Version, string Id, DateTimeOffset Timestamp, string UserId, string CallerId, TraceUserAction UserAction, string? Details);

/// <summary>One blockchain's page of the CHAIMELEON tracer's list (<c>GET /api/v1/traces</c>).</summary>
/// <param name="Blockchain">The blockchain (<c>blockchain</c>).</param>
/// <param name="Traces">The page's summaries (<c>traces</c>).</param>
/// <param name="CountAllTraces">How many traces match on that blockchain, all pages together (<c>countAllTraces</c>).</param>
public sealed record TracerV1TracePage(string Blockchain, IReadOnlyList<TracerV1TraceSummary> Traces, long CountAllTraces);

/// <summary>A page of the EUCAIM tracing service v2 (<c>GET /api/v2/traces</c>).</summary>
/// <param name="Total">How many traces match, all pages together (<c>total</c>).</param>
/// <param name="Skip">How many were skipped before this page (<c>skip</c>).</param>
/// <param name="Limit">The page size asked for (<c>limit</c>).</param>
/// <param name="Data">The traces (<c>data</c>).</param>
public sealed record TracerV2TracePage(long Total, int Skip, int Limit, IReadOnlyList<TracerTrace> Data);

/// <summary>A <c>POST /api/v1/traces</c> request body of the CHAIMELEON tracer, as a trace and the blockchains it names.</summary>
/// <param name="Trace">The trace, with the id, caller and timestamp the receiving side gave it.</param>
/// <param name="Blockchains">The blockchains the request asks for (<c>blockchains</c>), or null for the tracer's default.</param>
public sealed record TracerV1Request(Trace Trace, IReadOnlyList<string>? Blockchains);
