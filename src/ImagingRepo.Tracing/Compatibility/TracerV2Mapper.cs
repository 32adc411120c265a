using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>
/// The body of <c>POST /api/v2/traces</c> of the EUCAIM tracing service, written from a trace and read into one. The
/// service knows the three dataset actions only (with <c>AUTHOR_CHANGED</c> among the update details), forbids fields it
/// does not define, carries no id or time (it sets them), wants at least one resource in a CREATE_DATASET and both
/// <c>toolName</c> and <c>toolVersion</c> in a USE_DATASETS; it answers <c>{"id": UUID}</c>.
/// </summary>
public static class TracerV2Mapper
{
    private static readonly string[] RequestFields =
        ["userId", "userAction", "datasetId", "resources", "details", "datasetsIds", "toolName", "toolVersion"];

    /// <summary>The request body that records <paramref name="trace"/> on a EUCAIM tracing service.</summary>
    /// <param name="trace">The trace (its user id as recorded: a pseudonym).</param>
    /// <exception cref="TraceFormatException">The trace cannot be sent to the v2 service (a model trace, a use without a tool); the message names the field.</exception>
    public static byte[] ToRequest(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        TraceSerializer.Validate(trace);
        return WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("userId", trace.UserId);
            w.WriteString("userAction", TracerActionNames.Request(trace.UserAction));
            WireTraces.Write(w, trace, WireDialect.V2);
            w.WriteEndObject();
        });
    }

    /// <summary>The request body that records a trace of the outbox on a EUCAIM tracing service.</summary>
    /// <param name="record">The outbox record.</param>
    /// <exception cref="TraceFormatException">The trace cannot be sent to the v2 service; the message names the field.</exception>
    public static byte[] ToRequest(TraceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ToRequest(record.Trace);
    }

    /// <summary>Reads a request body as the service receives it (fields it does not define are refused, as it refuses them).</summary>
    /// <param name="utf8Json">The request body.</param>
    /// <param name="id">The id the receiver gives the trace.</param>
    /// <param name="callerId">The authenticated caller.</param>
    /// <param name="timestamp">When it was received, in milliseconds since the Unix epoch.</param>
    /// <exception cref="TraceFormatException">Not a valid v2 request; the message names the field.</exception>
    public static Trace FromRequest(ReadOnlySpan<byte> utf8Json, Guid id, string callerId, long timestamp)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callerId);
        return WireObject.Parse(utf8Json, TraceSerializer.MaxTraceBytes, "v2 trace request", root =>
        {
            var o = WireObject.Of(root, "");
            o.RefuseOtherThan(RequestFields);
            var header = new TraceHeader(id, callerId, timestamp, o.RequiredString("userId"));
            return WireTraces.Read(o, WireDialect.V2, o.RequiredAction("userAction"), header);
        });
    }

    /// <summary>Reads the service's answer to a POST: the id it gave the trace.</summary>
    /// <param name="utf8Json">The answer (<c>{"id": UUID}</c>).</param>
    /// <exception cref="TraceFormatException">Not that answer.</exception>
    public static Guid ReadCreatedId(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, TraceSerializer.MaxTraceBytes, "v2 trace creation answer", root =>
        {
            var o = WireObject.Of(root, "");
            var id = o.RequiredString("id");
            return Guid.TryParseExact(id, "D", out var uuid) ? uuid : throw o.Error("id", $"\"{id}\" is not a UUID");
        });

    /// <summary>The service's answer to a POST.</summary>
    /// <param name="id">The id it gave the trace.</param>
    public static byte[] WriteCreatedId(Guid id) => WireWriter.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id.ToString("D"));
        w.WriteEndObject();
    });
}
