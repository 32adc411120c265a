using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Tests.Pids;

/// <summary>
/// Zenodo's deposition API on 127.0.0.1 (Kestrel on a free port), answering as Zenodo does: a deposition is created
/// empty (201), gets its metadata (PUT, 200, validated), is published (202 with its DOI), unlocked for editing (201),
/// changed and published again, or deleted while unpublished (204). Every request is recorded (method, path,
/// Authorization header, JSON body) for the tests to check, and a test may make the next matching call fail.
/// </summary>
public sealed class ZenodoStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<long, Deposition> _depositions = new();
    private readonly ConcurrentQueue<(string Method, string PathSuffix, int Status, string Body)> _failures = new();
    private WebApplication? _app;
    private long _nextId = 1000;

    /// <summary>The token every request must carry unless a project has its own.</summary>
    public const string ConfiguredToken = "configured-test-token";

    /// <summary>The API root, e.g. http://127.0.0.1:41234/api/.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/api/");

    /// <summary>The tokens Zenodo accepts.</summary>
    public ConcurrentDictionary<string, bool> AcceptedTokens { get; } = new(StringComparer.Ordinal) { [ConfiguredToken] = true };

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/api/");
    }

    /// <summary>The requests about one deposition (by id in the path) or, with null, the creations.</summary>
    public IReadOnlyList<RecordedRequest> RequestsSince(int index) => [.. Requests.Skip(index)];

    /// <summary>Makes the next <paramref name="method"/> call whose path ends with <paramref name="pathSuffix"/> fail.</summary>
    public void FailNext(string method, string pathSuffix, int status, string body) => _failures.Enqueue((method, pathSuffix, status, body));

    public Deposition? Get(long id) => _depositions.GetValueOrDefault(id);

    public IReadOnlyCollection<Deposition> Depositions => [.. _depositions.Values];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body)) body = await reader.ReadToEndAsync();
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.Headers.Authorization.ToString(), request.ContentType,
            body.Length == 0 ? null : JsonNode.Parse(body));
        _requests.Enqueue(recorded);

        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal)
            || !AcceptedTokens.ContainsKey(request.Headers.Authorization.ToString()["Bearer ".Length..]))
        {
            await AnswerAsync(context, 401, new JsonObject { ["status"] = 401, ["message"] = "The server could not verify that you are authorized to access the URL requested." });
            return;
        }

        if (_failures.TryPeek(out var failure) && failure.Method == request.Method && recorded.Path.EndsWith(failure.PathSuffix, StringComparison.Ordinal)
            && _failures.TryDequeue(out _))
        {
            context.Response.StatusCode = failure.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(failure.Body);
            return;
        }

        var parts = recorded.Path.Split('/', StringSplitOptions.RemoveEmptyEntries); // api deposit depositions {id} actions {action}
        if (parts.Length < 3 || parts[0] != "api" || parts[1] != "deposit" || parts[2] != "depositions")
        {
            await AnswerAsync(context, 404, new JsonObject { ["status"] = 404, ["message"] = "Not found." });
            return;
        }

        if (parts.Length == 3 && request.Method == "POST")
        {
            if (recorded.Body is not JsonObject) { await AnswerAsync(context, 400, Error("The request body must be a JSON object.")); return; }
            var id = Interlocked.Increment(ref _nextId);
            _depositions[id] = new Deposition(id);
            await AnswerAsync(context, 201, new JsonObject { ["id"] = id, ["state"] = "unsubmitted", ["submitted"] = false, ["links"] = new JsonObject { ["publish"] = $"{BaseUrl}deposit/depositions/{id}/actions/publish" } });
            return;
        }

        if (parts.Length < 4 || !long.TryParse(parts[3], out var depositionId) || !_depositions.TryGetValue(depositionId, out var deposition))
        {
            await AnswerAsync(context, 404, new JsonObject { ["status"] = 404, ["message"] = "PID does not exist." });
            return;
        }

        switch (request.Method, parts.Length == 6 ? parts[5] : null)
        {
            case ("PUT", null):
                if (deposition.State == DepositionState.Published) { await AnswerAsync(context, 400, Error("Deposition is published: unlock it with actions/edit first.")); return; }
                var metadata = recorded.Body?["metadata"] as JsonObject;
                var problems = new JsonArray();
                foreach (var field in new[] { "upload_type", "title", "description", "access_right" })
                {
                    if (metadata?[field] is not JsonValue value || value.GetValue<string>().Length == 0) problems.Add(new JsonObject { ["field"] = $"metadata.{field}", ["message"] = "Missing data for required field." });
                }

                if (metadata?["creators"] is not JsonArray { Count: > 0 }) problems.Add(new JsonObject { ["field"] = "metadata.creators", ["message"] = "Missing data for required field." });
                if (problems.Count > 0) { await AnswerAsync(context, 400, new JsonObject { ["status"] = 400, ["message"] = "Validation error.", ["errors"] = problems }); return; }
                deposition.Metadata = (JsonObject)metadata!.DeepClone();
                await AnswerAsync(context, 200, new JsonObject { ["id"] = depositionId, ["metadata"] = metadata.DeepClone() });
                return;
            case ("DELETE", null):
                if (deposition.State != DepositionState.Draft) { await AnswerAsync(context, 403, Error("Published depositions cannot be deleted.")); return; }
                _depositions.TryRemove(depositionId, out _);
                context.Response.StatusCode = 204;
                return;
            case ("POST", "publish"):
                if (deposition.State == DepositionState.Published) { await AnswerAsync(context, 400, Error("Deposition is already published.")); return; }
                if (deposition.Metadata is null) { await AnswerAsync(context, 400, Error("Validation error: no metadata.")); return; }
                deposition.State = DepositionState.Published;
                deposition.Publications++;
                await AnswerAsync(context, 202, new JsonObject
                {
                    ["id"] = depositionId, ["state"] = "done", ["submitted"] = true, ["doi"] = $"10.5072/zenodo.{depositionId}",
                    ["doi_url"] = $"https://doi.org/10.5072/zenodo.{depositionId}", ["metadata"] = deposition.Metadata.DeepClone(),
                });
                return;
            case ("POST", "edit"):
                if (deposition.State != DepositionState.Published) { await AnswerAsync(context, 400, Error("Deposition is not published.")); return; }
                deposition.State = DepositionState.Editing;
                await AnswerAsync(context, 201, new JsonObject { ["id"] = depositionId, ["state"] = "inprogress" });
                return;
            case ("POST", "discard"):
                if (deposition.State != DepositionState.Editing) { await AnswerAsync(context, 400, Error("Deposition is not being edited.")); return; }
                deposition.State = DepositionState.Published;
                await AnswerAsync(context, 201, new JsonObject { ["id"] = depositionId, ["state"] = "done" });
                return;
            default:
                await AnswerAsync(context, 405, Error("Method not allowed."));
                return;
        }
    }

    private static JsonObject Error(string message) => new() { ["status"] = 400, ["message"] = message };

    private static async Task AnswerAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

/// <summary>One request as the stand-in received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Authorization, string? ContentType, JsonNode? Body)
{
    public override string ToString() => $"{Method} {Path}";
}

public enum DepositionState
{
    Draft,
    Published,
    Editing,
}

/// <summary>A deposition the stand-in holds.</summary>
public sealed class Deposition(long id)
{
    public long Id { get; } = id;

    public DepositionState State { get; set; } = DepositionState.Draft;

    public JsonObject? Metadata { get; set; }

    public int Publications { get; set; }
}
