using System.Text.Json;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>
/// Reads and writes what the tracer services return: the CHAIMELEON tracer V1's stored traces, its answer by id
/// (<c>{"traces": [{"blockchain", "trace"}]}</c>) and its list (<c>{"traces": [{"blockchain", "traces", "countAllTraces"}]}</c>),
/// and the EUCAIM tracing service v2's traces and pages (<c>{total, skip, limit, data}</c>). Every reader accepts what
/// the services are known to send (a timestamp as a number or a string, in epoch milliseconds or ISO-8601; the model
/// actions as <c>CREATE_MODEL</c>/<c>USE_MODELS</c> or <c>CREATE_MODEL_POD</c>/<c>USE_MODEL_POD</c>; any string as a
/// V1 id) and ignores fields it does not know; anything else, a null where an object or list must be included, is a
/// <see cref="TraceFormatException"/> naming the field. The writers write what the services write (stored V1 timestamps
/// as strings of epoch milliseconds, <c>_POD</c> model actions), so that a service built on this library answers as they do.
/// The request bodies are <see cref="TracerV1Mapper"/>'s and <see cref="TracerV2Mapper"/>'s.
/// </summary>
public static class TracerWireSerializer
{
    /// <summary>Largest answer accepted (a list page or a v2 page).</summary>
    public const int MaxDocumentBytes = 16 * 1024 * 1024;

    /// <summary>The <c>version</c> the CHAIMELEON tracer writes.</summary>
    public const string V1Version = "V1";

    /// <summary>The <c>version</c> the EUCAIM tracing service v2 writes.</summary>
    public const int V2Version = 2;

    /// <summary>Reads a trace as the CHAIMELEON tracer V1 stores it.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="TraceFormatException">Not a stored V1 trace; the message names the field.</exception>
    public static TracerTrace ReadV1Trace(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, TraceSerializer.MaxTraceBytes, "stored V1 trace", root => ReadV1Trace(WireObject.Of(root, "")));

    /// <summary>Writes a trace as the CHAIMELEON tracer V1 stores it.</summary>
    /// <param name="trace">The trace.</param>
    /// <exception cref="TraceFormatException">The trace cannot be written in this format (e.g. AUTHOR_CHANGED).</exception>
    public static byte[] WriteV1Trace(TracerTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return WireWriter.Write(w => WriteV1Trace(w, trace));
    }

    /// <summary>Reads the CHAIMELEON tracer's answer to <c>GET /api/v1/traces/{id}</c>.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>One entry per blockchain; an entry's trace is null where that blockchain does not have it.</returns>
    /// <exception cref="TraceFormatException">Not that answer (a missing or null <c>traces</c> list, an entry that is null); the message names the field.</exception>
    public static IReadOnlyList<TracerV1BlockchainTrace> ReadV1TraceById(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, MaxDocumentBytes, "V1 trace by id", root =>
        {
            var entries = WireObject.Of(root, "").RequiredObjects("traces");
            var result = new List<TracerV1BlockchainTrace>(entries.Count);
            foreach (var entry in entries)
            {
                var trace = entry.OptionalObject("trace") is { } t ? ReadV1Trace(t) : null;
                result.Add(new TracerV1BlockchainTrace(entry.RequiredString("blockchain"), trace));
            }

            return result;
        });

    /// <summary>Writes the answer to <c>GET /api/v1/traces/{id}</c>.</summary>
    /// <param name="entries">One entry per blockchain.</param>
    public static byte[] WriteV1TraceById(IReadOnlyList<TracerV1BlockchainTrace> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("traces");
            foreach (var entry in entries)
            {
                w.WriteStartObject();
                w.WriteString("blockchain", entry.Blockchain);
                w.WritePropertyName("trace");
                if (entry.Trace is null) w.WriteNullValue();
                else WriteV1Trace(w, entry.Trace);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Reads the CHAIMELEON tracer's answer to <c>GET /api/v1/traces</c>.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>One page per blockchain.</returns>
    /// <exception cref="TraceFormatException">Not that answer; the message names the field.</exception>
    public static IReadOnlyList<TracerV1TracePage> ReadV1TraceList(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, MaxDocumentBytes, "V1 trace list", root =>
        {
            var pages = WireObject.Of(root, "").RequiredObjects("traces");
            var result = new List<TracerV1TracePage>(pages.Count);
            foreach (var page in pages)
            {
                var summaries = page.RequiredObjects("traces");
                var traces = new List<TracerV1TraceSummary>(summaries.Count);
                foreach (var s in summaries)
                {
                    traces.Add(new TracerV1TraceSummary(
                        s.OptionalString("version") ?? V1Version,
                        s.RequiredString("id"),
                        DateTimeOffset.FromUnixTimeMilliseconds(s.RequiredTimestamp("timestamp")),
                        s.RequiredString("userId"),
                        s.RequiredString("callerId"),
                        s.RequiredAction("userAction"),
                        s.OptionalString("details")));
                }

                result.Add(new TracerV1TracePage(page.RequiredString("blockchain"), traces, page.RequiredInt64("countAllTraces")));
            }

            return result;
        });

    /// <summary>Writes the answer to <c>GET /api/v1/traces</c> (summary timestamps as ISO-8601 instants).</summary>
    /// <param name="pages">One page per blockchain.</param>
    public static byte[] WriteV1TraceList(IReadOnlyList<TracerV1TracePage> pages)
    {
        ArgumentNullException.ThrowIfNull(pages);
        return WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("traces");
            foreach (var page in pages)
            {
                w.WriteStartObject();
                w.WriteString("blockchain", page.Blockchain);
                w.WriteStartArray("traces");
                foreach (var s in page.Traces)
                {
                    w.WriteStartObject();
                    w.WriteString("version", s.Version);
                    w.WriteString("id", s.Id);
                    w.WriteString("timestamp", WireWriter.IsoInstant(s.Timestamp.ToUnixTimeMilliseconds()));
                    w.WriteString("userId", s.UserId);
                    w.WriteString("callerId", s.CallerId);
                    w.WriteString("userAction", TracerActionNames.Stored(s.UserAction));
                    w.WriteString("details", s.Details);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteNumber("countAllTraces", page.CountAllTraces);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>The list summary of a trace, as the CHAIMELEON tracer lists it.</summary>
    /// <param name="trace">The trace.</param>
    public static TracerV1TraceSummary ToV1Summary(TracerTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var t = trace.Trace;
        var details = t is UpdateDatasetTrace u ? WireNames<TraceUpdateDetails>.NameOf(u.Details) : null;
        return new TracerV1TraceSummary(V1Version, trace.Id, DateTimeOffset.FromUnixTimeMilliseconds(t.Timestamp), t.UserId, t.CallerId, t.UserAction, details);
    }

    /// <summary>Reads a trace of the EUCAIM tracing service v2 (<c>GET /api/v2/traces/{id}</c>).</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="TraceFormatException">Not a v2 trace; the message names the field.</exception>
    public static TracerTrace ReadV2Trace(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, TraceSerializer.MaxTraceBytes, "v2 trace", root => ReadV2Trace(WireObject.Of(root, "")));

    /// <summary>Writes a trace as the EUCAIM tracing service v2 returns it (<c>createdAt</c> as an ISO-8601 instant).</summary>
    /// <param name="trace">The trace.</param>
    /// <exception cref="TraceFormatException">The trace cannot be written in this format (a model trace, a dataset use without a tool).</exception>
    public static byte[] WriteV2Trace(TracerTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return WireWriter.Write(w => WriteV2Trace(w, trace));
    }

    /// <summary>Reads a page of the EUCAIM tracing service v2 (<c>GET /api/v2/traces</c>).</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="TraceFormatException">Not a v2 page; the message names the field.</exception>
    public static TracerV2TracePage ReadV2TracePage(ReadOnlySpan<byte> utf8Json) =>
        WireObject.Parse(utf8Json, MaxDocumentBytes, "v2 trace page", root =>
        {
            var page = WireObject.Of(root, "");
            var items = page.RequiredObjects("data");
            var data = new List<TracerTrace>(items.Count);
            foreach (var item in items) data.Add(ReadV2Trace(item));
            return new TracerV2TracePage(page.RequiredInt64("total"), page.RequiredInt32("skip"), page.RequiredInt32("limit"), data);
        });

    /// <summary>Writes a page of the EUCAIM tracing service v2.</summary>
    /// <param name="page">The page.</param>
    public static byte[] WriteV2TracePage(TracerV2TracePage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return WireWriter.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", page.Total);
            w.WriteNumber("skip", page.Skip);
            w.WriteNumber("limit", page.Limit);
            w.WriteStartArray("data");
            foreach (var trace in page.Data) WriteV2Trace(w, trace);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static TracerTrace ReadV1Trace(WireObject o)
    {
        var version = o.OptionalString("version");
        if (version is not null && version != V1Version) throw o.Error("version", $"expected \"{V1Version}\", got \"{version}\"");
        var id = o.RequiredString("id");
        var header = new TraceHeader(TracerTrace.TraceIdOf(id), o.RequiredString("callerId"), o.RequiredTimestamp("timestamp"), o.RequiredString("userId"));
        return new TracerTrace { Id = id, Trace = WireTraces.Read(o, WireDialect.V1Stored, o.RequiredAction("userAction"), header) };
    }

    private static void WriteV1Trace(Utf8JsonWriter w, TracerTrace trace)
    {
        var t = trace.Trace;
        w.WriteStartObject();
        w.WriteString("version", V1Version);
        w.WriteString("id", trace.Id);
        w.WriteString("timestamp", t.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)); // a string, as the tracer stores it
        w.WriteString("callerId", t.CallerId);
        w.WriteString("userId", t.UserId);
        w.WriteString("userAction", TracerActionNames.Stored(t.UserAction));
        WireTraces.Write(w, t, WireDialect.V1Stored);
        w.WriteEndObject();
    }

    private static TracerTrace ReadV2Trace(WireObject o)
    {
        var version = o.RequiredInt64("version");
        if (version != V2Version) throw o.Error("version", $"expected {V2Version}, got {version}");
        var id = o.RequiredString("id");
        if (!Guid.TryParseExact(id, "D", out var uuid)) throw o.Error("id", $"\"{id}\" is not a UUID");
        var header = new TraceHeader(uuid, o.RequiredString("callerId"), o.RequiredTimestamp("createdAt"), o.RequiredString("userId"));
        return new TracerTrace { Id = id, Trace = WireTraces.Read(o, WireDialect.V2, o.RequiredAction("userAction"), header) };
    }

    private static void WriteV2Trace(Utf8JsonWriter w, TracerTrace trace)
    {
        var t = trace.Trace;
        w.WriteStartObject();
        w.WriteString("id", trace.Id);
        w.WriteString("callerId", t.CallerId);
        w.WriteString("createdAt", WireWriter.IsoInstant(t.Timestamp));
        w.WriteNumber("version", V2Version);
        w.WriteString("userId", t.UserId);
        w.WriteString("userAction", TracerActionNames.Request(t.UserAction));
        WireTraces.Write(w, t, WireDialect.V2);
        w.WriteEndObject();
    }
}
