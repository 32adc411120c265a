using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>
/// The body of <c>POST /api/v1/traces</c> of the CHAIMELEON tracer, written from a trace and read into one. A request is
/// not a trace: it has no <c>id</c>, <c>timestamp</c> or <c>callerId</c> (the tracer sets them), its resources are
/// <c>{id, contentType: "HASH", hash, hashType}</c>, the tool is flat (<c>toolName</c>, <c>toolVersion</c>) and model
/// requests need an <c>applicationId</c>. Model traces' own hashes and tool are not part of a V1 request and are left
/// out; <c>AUTHOR_CHANGED</c> does not exist in V1 and is refused.
/// </summary>
public static class TracerV1Mapper
{
    /// <summary>The request body that records <paramref name="trace"/> on a CHAIMELEON tracer.</summary>
    /// <param name="trace">The trace (its user id as recorded: a pseudonym).</param>
    /// <param name="blockchains">The blockchains to ask for (<c>blockchains</c>), or null for the tracer's default.</param>
    /// <exception cref="TraceFormatException">The trace cannot be sent to the V1 tracer; the message names the field.</exception>
    public static byte[] ToRequest(Trace trace, IReadOnlyList<string>? blockchains = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        TraceSerializer.Validate(trace);
        return WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("userId", trace.UserId);
            w.WriteString("userAction", TracerActionNames.Request(trace.UserAction));
            WireTraces.Write(w, trace, WireDialect.V1Request);
            if (blockchains is not null) w.WriteStrings("blockchains", blockchains);
            w.WriteEndObject();
        });
    }

    /// <summary>The request body that records a trace of the outbox on a CHAIMELEON tracer (on its default blockchains).</summary>
    /// <param name="record">The outbox record.</param>
    /// <exception cref="TraceFormatException">The trace cannot be sent to the V1 tracer; the message names the field.</exception>
    public static byte[] ToRequest(TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ToRequest(record.Trace);
    }

    /// <summary>Reads a request body as the tracer receives it, giving the trace the id, caller and time the receiver sets.</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="id">The id the receiver gives the trace.</param>
    /// <param name="callerId">The authenticated caller.</param>
    /// <param name="timestamp">When it was received, in milliseconds since the Unix epoch.</param>
    /// <exception cref="TraceFormatException">Not a valid V1 request; the message names the field.</exception>
    public static TracerV1Request FromRequest(ReadOnlySpan<byte> utf8Json, Guid id, string callerId, long timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callerId);
        return WireObject.Parse(utf8Json, TraceSerializer.MaxTraceBytes, "V1 trace request", root =>
        {
            var o = WireObject.Of(root, "");
            var header = new TraceHeader(id, callerId, timestamp, o.RequiredString("userId"));
            var trace = WireTraces.Read(o, WireDialect.V1Request, o.RequiredAction("userAction"), header);
            return new TracerV1Request(trace, o.OptionalStrings("blockchains"));
        });
    }
}
