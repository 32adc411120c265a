using System.Text.Json;

namespace ImagingRepo.Tracing.Model;

/// <summary>
/// Reads and writes ImagingRepo's canonical trace JSON (the tracer V1 field names; the shapes the CHAIMELEON and EUCAIM
/// tracers exchange are read and written by <see cref="Compatibility.TracerWireSerializer"/> and the mappers beside it).
/// <see cref="Serialize(Trace)"/> is canonical: the same trace always gives the same UTF-8 bytes (fixed property order,
/// no whitespace), which is what Merkle leaves are computed over.
/// </summary>
public static class TraceSerializer
{
    /// <summary>Largest trace accepted when parsing (traces hold ids and hashes only).</summary>
    public const int MaxTraceBytes = 64 * 1024;

    /// <summary>The canonical form traces are recorded with now.</summary>
    public const TraceCanonicalForm CurrentCanonicalForm = TraceCanonicalForm.Documented;

    /// <summary>The canonical UTF-8 JSON of a trace, in the <see cref="CurrentCanonicalForm"/>.</summary>
    /// <param name="trace">The trace.</param>
    public static byte[] Serialize(Trace trace) => Serialize(trace, CurrentCanonicalForm);

    /// <summary>The canonical UTF-8 JSON of a trace in a given form: the form a stored trace was recorded with, to verify it.</summary>
    /// <param name="trace">The trace.</param>
    /// <param name="form">The canonical form.</param>
    public static byte[] Serialize(Trace trace, TraceCanonicalForm form)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var documented = JsonSerializer.SerializeToUtf8Bytes(trace, TraceJsonContext.Default.Trace);
        return form switch
        {
            TraceCanonicalForm.Documented => documented,
            TraceCanonicalForm.Original => OriginalCanonicalForm.From(documented, trace),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "unknown canonical form"),
        };
    }

    /// <summary>Parses one trace and checks its required fields.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <exception cref="TraceFormatException">The JSON is not a valid V1 trace.</exception>
    public static Trace Deserialize(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxTraceBytes)
        {
            throw new TraceFormatException($"trace JSON is {utf8Json.Length} bytes; at most {MaxTraceBytes} are accepted");
        }

        Trace? trace;
        try
        {
            trace = JsonSerializer.Deserialize(utf8Json, TraceJsonContext.Default.Trace);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            var hint = e.Path == "$" ? " (userAction missing or unknown?)" : "";
            throw new TraceFormatException($"invalid trace JSON{where}{hint}: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new TraceFormatException("invalid trace JSON: missing or unknown userAction", e);
        }

        if (trace is null)
        {
            throw new TraceFormatException("trace JSON is null");
        }

        Validate(trace);
        return trace;
    }

    /// <summary>Parses one trace from a string.</summary>
    /// <param name="json">The JSON.</param>
    /// <exception cref="TraceFormatException">The JSON is not a valid V1 trace.</exception>
    public static Trace Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Deserialize(System.Text.Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Checks the rules that JSON metadata cannot express.</summary>
    /// <param name="trace">The trace.</param>
    /// <exception cref="TraceFormatException">A rule is broken; the message names the field.</exception>
    public static void Validate(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (trace.Id == Guid.Empty) throw new TraceFormatException("id: must be a non-empty UUID");
        if (trace.Version != Trace.V1) throw new TraceFormatException($"version: expected \"V1\", got \"{trace.Version}\"");
        if (string.IsNullOrWhiteSpace(trace.CallerId)) throw new TraceFormatException("callerId: required");
        if (string.IsNullOrWhiteSpace(trace.UserId)) throw new TraceFormatException("userId: required");
        if (trace.Timestamp < 0) throw new TraceFormatException("timestamp: must be milliseconds since the Unix epoch");
        switch (trace)
        {
            case CreateDatasetTrace c:
                RequireId(c.DatasetId, "datasetId");
                for (var i = 0; i < c.TraceResources.Count; i++) ValidateResource(c.TraceResources[i], i);
                break;
            case UpdateDatasetTrace u:
                RequireId(u.DatasetId, "datasetId");
                if (!Enum.IsDefined(u.Details)) throw new TraceFormatException("details: unknown value");
                break;
            case UseDatasetsTrace d:
                if (d.DatasetsIds.Count == 0) throw new TraceFormatException("datasetsIds: at least one dataset id is required");
                for (var i = 0; i < d.DatasetsIds.Count; i++) RequireId(d.DatasetsIds[i], $"datasetsIds[{i}]");
                break;
            case CreateModelTrace m:
                RequireId(m.ModelId, "modelId");
                if (m.ApplicationId is not null) RequireId(m.ApplicationId, "applicationId");
                break;
            case UseModelsTrace m:
                if (m.ModelsIds.Count == 0) throw new TraceFormatException("modelsIds: at least one model id is required");
                if (m.ApplicationId is not null) RequireId(m.ApplicationId, "applicationId");
                break;
        }
    }

    private static void ValidateResource(TraceResource resource, int index)
    {
        RequireId(resource.Id, $"traceResources[{index}].id");
        Span<byte> digest = stackalloc byte[64];
        if (!Convert.TryFromBase64String(resource.ContentHash ?? "", digest, out var length))
        {
            throw new TraceFormatException($"traceResources[{index}].contentHash: not the base64 of a SHA3 digest");
        }

        var expected = resource.ContentHashType == TraceHashType.Sha3_512 ? 64 : 32;
        if (length != expected)
        {
            throw new TraceFormatException($"traceResources[{index}].contentHash: {length} bytes, {resource.ContentHashType} needs {expected}");
        }
    }

    private static void RequireId(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new TraceFormatException($"{field}: required");
        if (value.Length > 256) throw new TraceFormatException($"{field}: longer than 256 characters");
    }
}

/// <summary>A trace's JSON or content breaks the V1 format; the message says which field.</summary>
public sealed class TraceFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TraceFormatException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public TraceFormatException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The parser's error.</param>
    public TraceFormatException(string message, Exception innerException) : base(message, innerException) { }
}
