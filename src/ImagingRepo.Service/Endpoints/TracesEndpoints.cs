using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Traces;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Proofs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary>
/// The tracer API: <c>/v1/traces</c> as the CHAIMELEON tracer serves it, <c>/v2/traces</c> as the EUCAIM tracing service
/// does, and our proof of a trace. The bodies are read and written by ImagingRepo.Tracing's compatibility layer, so the
/// shapes are the ones its golden fixtures pin down.
/// </summary>
internal static class TracesEndpoints
{
    private const int V1DefaultLimit = 5;
    private const int V2DefaultLimit = 100;

    public static IEndpointRouteBuilder MapTraces(this IEndpointRouteBuilder api)
    {
        var v1 = api.MapGroup("/v1/traces").WithTags("traces");
        v1.MapPost("", async (HttpContext context, TraceApiService service) =>
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var entries = await service.RecordV1Async(context.PlatformUser(), body, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(entries, ServiceJsonContext.Default.IReadOnlyListTracerCacheEntryWire);
        }).WithName("postTraceV1").Accepts<object>("application/json").Produces<TracerCacheEntryWire[]>().Problems(400, 401, 403, 413);

        v1.MapGet("", async (HttpContext context, TraceApiService service,
            [FromQuery] string[]? userId, [FromQuery] string[]? callerUserId, [FromQuery] string[]? datasetId, [FromQuery] string[]? userAction,
            [FromQuery] string[]? blockchain, [FromQuery] int? skipTraces, [FromQuery] int? limitTraces) =>
        {
            var filter = new TraceFilter
            {
                UserIds = userId ?? [],
                CallerIds = callerUserId ?? [],
                DatasetIds = datasetId ?? [],
                Actions = [.. (userAction ?? []).Select(ParseAction)],
                Blockchains = blockchain ?? [],
            };
            var (skip, limit) = Page(skipTraces, limitTraces, V1DefaultLimit, "skipTraces", "limitTraces");
            var pages = await service.ListV1Async(context.PlatformUser(), filter, skip, limit, context.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(TracerWireSerializer.WriteV1TraceList(pages), "application/json");
        }).WithName("listTracesV1").Produces<object>().Problems(400, 401);

        v1.MapGet("/{id}", async (HttpContext context, string id, TraceApiService service) =>
        {
            var entries = await service.GetV1Async(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(TracerWireSerializer.WriteV1TraceById(entries), "application/json");
        }).WithName("getTraceV1").Produces<object>().Problems(400, 401);

        v1.MapGet("/{id}/proof", async (HttpContext context, string id, TraceApiService service) =>
        {
            var proof = await service.ProofAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(proof.ToJson(), "application/json");
        }).WithName("getTraceProof").Produces<TraceProof>().Problems(400, 401, 404, 409);

        var v2 = api.MapGroup("/v2/traces").WithTags("traces");
        v2.MapPost("", async (HttpContext context, TraceApiService service) =>
        {
            var body = await ReadBodyAsync(context).ConfigureAwait(false);
            var id = await service.RecordV2Async(context.PlatformUser(), body, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(System.Text.Encoding.UTF8.GetString(TracerV2Mapper.WriteCreatedId(id)), "application/json", System.Text.Encoding.UTF8, StatusCodes.Status201Created);
        }).WithName("postTraceV2").Accepts<object>("application/json").Produces<object>(StatusCodes.Status201Created).Problems(400, 401, 403, 413);

        v2.MapGet("", async (HttpContext context, TraceApiService service, [FromQuery] string? datasetId, [FromQuery] int? skip, [FromQuery] int? limit) =>
        {
            var (s, l) = Page(skip, limit, V2DefaultLimit, "skip", "limit");
            var page = await service.ListV2Async(context.PlatformUser(), datasetId, s, l, context.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(TracerWireSerializer.WriteV2TracePage(page), "application/json");
        }).WithName("listTracesV2").Produces<object>().Problems(400, 401);

        v2.MapGet("/{id}", async (HttpContext context, string id, TraceApiService service) =>
        {
            var trace = await service.GetV2Async(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(TracerWireSerializer.WriteV2Trace(trace), "application/json");
        }).WithName("getTraceV2").Produces<object>().Problems(400, 401, 404);

        v2.MapGet("/{id}/proof", async (HttpContext context, string id, TraceApiService service) =>
        {
            var proof = await service.ProofAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return Results.Text(proof.ToJson(), "application/json");
        }).WithName("getTraceProofV2").Produces<TraceProof>().Problems(400, 401, 404, 409);

        return api;
    }

    /// <summary>The body, at most the size of one trace; larger is a 413.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > TraceSerializer.MaxTraceBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > TraceSerializer.MaxTraceBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0) throw ServiceProblemException.Invalid("The request has no body: a trace request is a JSON object.");
        return buffer.ToArray();
    }

    private static ServiceProblemException TooLarge() =>
        ServiceProblemException.PayloadTooLarge($"A trace request has at most {TraceSerializer.MaxTraceBytes} bytes.");

    private static (int Skip, int Limit) Page(int? skip, int? limit, int defaultLimit, string skipName, string limitName)
    {
        var s = skip ?? 0;
        var l = limit ?? defaultLimit;
        if (s < 0) throw ServiceProblemException.Invalid($"'{skipName}' must be 0 or more.");
        if (l is < 1 or > TraceApiService.MaxPage) throw ServiceProblemException.Invalid($"'{limitName}' must be between 1 and {TraceApiService.MaxPage}.");
        return (s, l);
    }

    /// <summary>A <c>userAction</c> filter value: the request names and the stored <c>_POD</c> names of the model actions.</summary>
    private static TraceUserAction ParseAction(string name)
    {
        foreach (var action in Enum.GetValues<TraceUserAction>())
        {
            if (action.ToWireName() == name) return action;
        }

        return name switch
        {
            "CREATE_MODEL_POD" => TraceUserAction.CreateModel,
            "USE_MODEL_POD" => TraceUserAction.UseModels,
            _ => throw ServiceProblemException.Invalid($"'userAction': '{name}' is not a user action."),
        };
    }
}
