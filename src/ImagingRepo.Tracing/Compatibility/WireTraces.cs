using System.Text.Json;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>The fields every trace has, whichever format carried them.</summary>
internal readonly record struct TraceHeader(Guid Id, string CallerId, long Timestamp, string UserId);

/// <summary>
/// Reads and writes the action fields of a trace (everything after the header) in each <see cref="WireDialect"/>, one
/// action at a time, so that what each format carries is spelled out here and nowhere else.
/// </summary>
internal static class WireTraces
{
    private const string HashContentType = "HASH";

    public static Trace Read(WireObject o, WireDialect dialect, TraceUserAction action, TraceHeader header)
    {
        if (dialect == WireDialect.V2 && action is TraceUserAction.CreateModel or TraceUserAction.UseModels)
        {
            throw o.Error("userAction", "the EUCAIM tracing service v2 has dataset actions only");
        }

        Trace trace = action switch
        {
            TraceUserAction.CreateDataset => new CreateDatasetTrace
            {
                Id = header.Id, CallerId = header.CallerId, Timestamp = header.Timestamp, UserId = header.UserId,
                DatasetId = o.RequiredString("datasetId"),
                TraceResources = ReadResources(o, dialect, required: true)!,
            },
            TraceUserAction.UpdateDataset => new UpdateDatasetTrace
            {
                Id = header.Id, CallerId = header.CallerId, Timestamp = header.Timestamp, UserId = header.UserId,
                DatasetId = o.RequiredString("datasetId"),
                Details = o.RequiredEnum<TraceUpdateDetails>("details"),
            },
            TraceUserAction.UseDatasets => new UseDatasetsTrace
            {
                Id = header.Id, CallerId = header.CallerId, Timestamp = header.Timestamp, UserId = header.UserId,
                DatasetsIds = o.RequiredStrings("datasetsIds"),
                Tool = ReadTool(o, dialect),
            },
            TraceUserAction.CreateModel => new CreateModelTrace
            {
                Id = header.Id, CallerId = header.CallerId, Timestamp = header.Timestamp, UserId = header.UserId,
                ApplicationId = ReadApplicationId(o, dialect),
                ModelId = o.RequiredString("modelId"),
                DatasetsIds = dialect == WireDialect.V1Request ? o.RequiredStrings("datasetsIds") : o.OptionalStrings("datasetsIds"),
                TraceResources = dialect == WireDialect.V1Stored ? ReadResources(o, dialect, required: false) : null,
                Tool = dialect == WireDialect.V1Stored ? ReadTool(o, dialect) : null,
            },
            TraceUserAction.UseModels => new UseModelsTrace
            {
                Id = header.Id, CallerId = header.CallerId, Timestamp = header.Timestamp, UserId = header.UserId,
                ApplicationId = ReadApplicationId(o, dialect),
                ModelsIds = o.RequiredStrings("modelsIds"),
                DatasetsIds = o.OptionalStrings("datasetsIds"),
                Tool = dialect == WireDialect.V1Stored ? ReadTool(o, dialect) : null,
            },
            _ => throw o.Error("userAction", $"unknown user action {action}"),
        };
        return o.Validated(trace);
    }

    public static void Write(Utf8JsonWriter w, Trace trace, WireDialect dialect)
    {
        switch (trace)
        {
            case CreateDatasetTrace c:
                if (dialect == WireDialect.V2 && c.TraceResources.Count == 0)
                {
                    throw new TraceFormatException("traceResources: the EUCAIM tracing service v2 needs at least one resource");
                }

                w.WriteString("datasetId", c.DatasetId);
                WriteResources(w, c.TraceResources, dialect);
                break;
            case UpdateDatasetTrace u:
                if (dialect != WireDialect.V2 && u.Details == TraceUpdateDetails.AuthorChanged)
                {
                    throw new TraceFormatException("details: AUTHOR_CHANGED exists only in the EUCAIM tracing service v2, not in the CHAIMELEON tracer V1");
                }

                w.WriteString("datasetId", u.DatasetId);
                w.WriteString("details", WireNames<TraceUpdateDetails>.NameOf(u.Details));
                break;
            case UseDatasetsTrace d:
                w.WriteStrings("datasetsIds", d.DatasetsIds);
                WriteTool(w, d.Tool, dialect, always: true);
                break;
            case CreateModelTrace m:
                RefuseInV2(dialect);
                WriteApplicationId(w, m.ApplicationId, dialect);
                w.WriteString("modelId", m.ModelId);
                if (m.DatasetsIds is not null) w.WriteStrings("datasetsIds", m.DatasetsIds);
                else if (dialect == WireDialect.V1Request) throw new TraceFormatException("datasetsIds: the CHAIMELEON tracer V1 requires the datasets of a CREATE_MODEL request");
                if (dialect == WireDialect.V1Stored && m.TraceResources is not null) WriteResources(w, m.TraceResources, dialect);
                if (dialect == WireDialect.V1Stored) WriteTool(w, m.Tool, dialect, always: false);
                break;
            case UseModelsTrace m:
                RefuseInV2(dialect);
                WriteApplicationId(w, m.ApplicationId, dialect);
                w.WriteStrings("modelsIds", m.ModelsIds);
                if (m.DatasetsIds is not null) w.WriteStrings("datasetsIds", m.DatasetsIds);
                if (dialect == WireDialect.V1Stored) WriteTool(w, m.Tool, dialect, always: false);
                break;
            default:
                throw new TraceFormatException($"userAction: {trace.GetType().Name} has no wire form");
        }
    }

    private static void RefuseInV2(WireDialect dialect)
    {
        if (dialect == WireDialect.V2) throw new TraceFormatException("userAction: the EUCAIM tracing service v2 has dataset actions only");
    }

    private static string? ReadApplicationId(WireObject o, WireDialect dialect) =>
        dialect == WireDialect.V1Request ? o.RequiredString("applicationId") : o.OptionalString("applicationId");

    private static void WriteApplicationId(Utf8JsonWriter w, string? applicationId, WireDialect dialect)
    {
        if (applicationId is not null) w.WriteString("applicationId", applicationId);
        else if (dialect == WireDialect.V1Request) throw new TraceFormatException("applicationId: the CHAIMELEON tracer V1 requires it of model traces");
    }

    private static List<TraceResource>? ReadResources(WireObject o, WireDialect dialect, bool required)
    {
        var name = dialect == WireDialect.V1Stored ? "traceResources" : "resources";
        if (!required && !o.Has(name)) return null;
        var items = o.RequiredObjects(name);
        if (dialect == WireDialect.V2 && items.Count == 0) throw o.Error(name, "at least one resource is required");
        var resources = new List<TraceResource>(items.Count);
        foreach (var r in items)
        {
            if (dialect == WireDialect.V1Request)
            {
                var contentType = r.OptionalString("contentType");
                if (contentType is not null && contentType != HashContentType)
                {
                    throw r.Error("contentType", $"\"{contentType}\": only HASH resources are read (the tracer's FILE_DATA and HTTP resources carry content, not hashes)");
                }

                resources.Add(new TraceResource(r.RequiredString("id"), r.RequiredString("hash"), r.RequiredEnum<TraceHashType>("hashType")));
            }
            else
            {
                resources.Add(new TraceResource(r.RequiredString("id"), r.RequiredString("contentHash"), r.RequiredEnum<TraceHashType>("contentHashType")));
            }
        }

        return resources;
    }

    private static void WriteResources(Utf8JsonWriter w, IReadOnlyList<TraceResource> resources, WireDialect dialect)
    {
        w.WriteStartArray(dialect == WireDialect.V1Stored ? "traceResources" : "resources");
        foreach (var r in resources)
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            if (dialect == WireDialect.V1Request)
            {
                // the order the CHAIMELEON dataset service writes
                w.WriteString("contentType", HashContentType);
                w.WriteString("hashType", WireNames<TraceHashType>.NameOf(r.ContentHashType));
                w.WriteString("hash", r.ContentHash);
            }
            else
            {
                w.WriteString("contentHash", r.ContentHash);
                w.WriteString("contentHashType", WireNames<TraceHashType>.NameOf(r.ContentHashType));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static TraceTool? ReadTool(WireObject o, WireDialect dialect)
    {
        string? name, version;
        if (dialect == WireDialect.V1Stored)
        {
            if (o.OptionalObject("tool") is not { } tool) return null;
            (name, version) = (tool.OptionalString("name"), tool.OptionalString("version"));
        }
        else if (dialect == WireDialect.V2)
        {
            (name, version) = (o.RequiredString("toolName"), o.RequiredString("toolVersion"));
        }
        else
        {
            (name, version) = (o.OptionalString("toolName"), o.OptionalString("toolVersion"));
        }

        // The CHAIMELEON tracer stores {"name": null, "version": null} when the caller named no tool.
        return name is null && version is null ? null : new TraceTool(name, version);
    }

    private static void WriteTool(Utf8JsonWriter w, TraceTool? tool, WireDialect dialect, bool always)
    {
        if (tool is null && !always) return;
        if (dialect == WireDialect.V2 && (string.IsNullOrEmpty(tool?.Name) || string.IsNullOrEmpty(tool.Version)))
        {
            throw new TraceFormatException("tool: the EUCAIM tracing service v2 requires toolName and toolVersion");
        }

        if (dialect == WireDialect.V1Stored)
        {
            w.WriteStartObject("tool");
            w.WriteString("name", tool?.Name);
            w.WriteString("version", tool?.Version);
            w.WriteEndObject();
        }
        else
        {
            w.WriteString("toolName", tool?.Name);
            w.WriteString("toolVersion", tool?.Version);
        }
    }
}
