using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ImagingRepo.Service.Tests.Pids;

/// <summary>
/// Zenodo's deposition API on 127.0.0.1 (Kestrel on a free port), answering as Zenodo's developer documentation says
/// (zenodo/developers.zenodo.org, source/includes/…: overview/_api-basics.md, overview/_quickstart.md,
/// resources/deposit/_representation.md, _create.md, _update.md, _delete.md, resources/deposit-actions/*.md):
/// a deposition is created (201) and answered as the full deposition resource (conceptrecid, created, files, id, links,
/// metadata with prereserve_doi, modified, owner, record_id, state "unsubmitted", submitted, title); its metadata is
/// PUT (200, validated against the documented vocabularies and required fields, errors as
/// <c>{"message", "status", "errors": [{"code", "message", "field"}]}</c>); it is published (202, with doi, doi_url,
/// record_url, state "done"), unlocked for editing (201, state "inprogress"; 400 when not published), its edit discarded
/// (201; 400 when not being edited), or deleted while unpublished (the endpoint's page says 201 with an empty body; 403
/// once published). The token is read from the <c>Authorization: Bearer</c> header or the <c>access_token</c> query
/// parameter (both documented); POST and PUT bodies must be <c>application/json</c> (else 415). Every request is
/// recorded (method, path, Authorization header, JSON body) for the tests to check, and a test may make the next
/// matching call answer something else.
/// </summary>
public sealed class ZenodoStandIn : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<long, Deposition> _depositions = new();
    private readonly ConcurrentQueue<(string Method, string PathSuffix, int Status, string Body)> _failures = new();
    private readonly ConcurrentQueue<string> _createAnswers = new();
    private LoopbackHttpServer? _server;
    private long _nextId = 1000;

    /// <summary>The token every request must carry unless a project has its own.</summary>
    public const string ConfiguredToken = "configured-test-token";

    /// <summary>Zenodo's sandbox prefix (overview/_api-basics.md: "the sandbox environment will issue test DOIs using the 10.5072 prefix").</summary>
    public const string DoiPrefix = "10.5072";

    /// <summary>The API root, e.g. http://127.0.0.1:41234/api/.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/api/");

    /// <summary>The tokens Zenodo accepts.</summary>
    public ConcurrentDictionary<string, bool> AcceptedTokens { get; } = new(StringComparer.Ordinal) { [ConfiguredToken] = true };

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public async Task StartAsync()
    {
        _server = await LoopbackHttpServer.StartAsync(HandleAsync);
        BaseUrl = new Uri(_server.Address, "api/");
    }

    /// <summary>The requests received since the <paramref name="index"/>-th.</summary>
    public IReadOnlyList<RecordedRequest> RequestsSince(int index) => [.. Requests.Skip(index)];

    /// <summary>Makes the next <paramref name="method"/> call whose path ends with <paramref name="pathSuffix"/> answer this instead.</summary>
    public void FailNext(string method, string pathSuffix, int status, string body) => _failures.Enqueue((method, pathSuffix, status, body));

    /// <summary>
    /// The next <c>POST deposit/depositions</c> is answered 201 with exactly <paramref name="body"/> (a deposition resource
    /// as Zenodo writes it); the stand-in then holds a draft deposition with the body's <c>id</c>.
    /// </summary>
    public void AnswerNextCreateWith(string body) => _createAnswers.Enqueue(body);

    public Deposition? Get(long id) => _depositions.GetValueOrDefault(id);

    public IReadOnlyCollection<Deposition> Depositions => [.. _depositions.Values];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body)) body = await reader.ReadToEndAsync();
        JsonNode? json = null;
        var isJson = request.ContentType is { } type && type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (body.Length > 0 && isJson)
        {
            try
            {
                json = JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                await AnswerAsync(context, 400, Error(400, "Could not parse the JSON body."));
                return;
            }
        }

        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.Headers.Authorization.ToString(), request.ContentType, json);
        _requests.Enqueue(recorded);

        var authorization = request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : request.Query["access_token"].ToString();
        if (!AcceptedTokens.ContainsKey(token))
        {
            // overview/_quickstart.md: the 401 answer, word for word.
            await AnswerAsync(context, 401, Error(401,
                "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials "
                + "(e.g. a bad password), or your browser doesn't understand how to supply the credentials required."));
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
            await AnswerAsync(context, 404, Error(404, "The requested URL was not found on the server."));
            return;
        }

        // overview/_api-basics.md: "All POST and PUT request bodies must be JSON encoded, and must have content type of
        // application/json … The API will return a 415 error". The actions (publish, edit, discard) take no body.
        var takesBody = (parts.Length == 3 && request.Method == "POST") || (parts.Length == 4 && request.Method == "PUT");
        if (takesBody && !isJson)
        {
            await AnswerAsync(context, 415, Error(415, "Invalid 'Content-Type' header. Expected one of: application/json"));
            return;
        }

        if (parts.Length == 3 && request.Method == "POST")
        {
            // resources/deposit/_create.md: "An empty JSON object {} or a deposition metadata resource".
            if (json is not JsonObject) { await AnswerAsync(context, 400, Error(400, "The request body must be a JSON object.")); return; }
            if (_createAnswers.TryDequeue(out var answer))
            {
                var given = JsonNode.Parse(answer)!.AsObject();
                var givenId = given["id"]!.GetValue<long>();
                _depositions[givenId] = new Deposition(givenId);
                context.Response.StatusCode = 201;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer);
                return;
            }

            var id = Interlocked.Increment(ref _nextId);
            var created = new Deposition(id);
            if (json["metadata"] is JsonObject initial) created.Metadata = (JsonObject)initial.DeepClone();
            _depositions[id] = created;
            await AnswerAsync(context, 201, Representation(created));
            return;
        }

        if (parts.Length < 4 || !long.TryParse(parts[3], out var depositionId) || !_depositions.TryGetValue(depositionId, out var deposition))
        {
            // overview/_api-basics.md, its example of an error without details.
            await AnswerAsync(context, 404, Error(404, "Deposition not found"));
            return;
        }

        switch (request.Method, parts.Length == 6 && parts[4] == "actions" ? parts[5] : parts.Length == 4 ? null : "?")
        {
            case ("GET", null):
                await AnswerAsync(context, 200, Representation(deposition));
                return;
            case ("PUT", null):
                // resources/deposit-actions/_edit.md: a published deposition is unlocked with actions/edit before its metadata changes.
                if (deposition.State == DepositionState.Published) { await AnswerAsync(context, 400, Error(400, "Deposition is published: unlock it with actions/edit first.")); return; }
                var metadata = json?["metadata"] as JsonObject;
                var problems = Validate(metadata);
                if (problems.Count > 0) { await AnswerAsync(context, 400, ValidationError(problems)); return; }
                deposition.Metadata = (JsonObject)metadata!.DeepClone();
                await AnswerAsync(context, 200, Representation(deposition));
                return;
            case ("DELETE", null):
                // resources/deposit/_delete.md: "403 Forbidden: Deleting an already published deposition"; success "201 Created", body empty.
                if (deposition.Publications > 0) { await AnswerAsync(context, 403, Error(403, "You don't have the permission to access the requested resource.")); return; }
                _depositions.TryRemove(depositionId, out _);
                context.Response.StatusCode = 201;
                return;
            case ("POST", "publish"):
                if (deposition.State == DepositionState.Published) { await AnswerAsync(context, 400, Error(400, "Deposition is already published.")); return; }
                var missing = Validate(deposition.Metadata);
                if (missing.Count > 0) { await AnswerAsync(context, 400, ValidationError(missing)); return; }
                deposition.State = DepositionState.Published;
                deposition.Publications++;
                await AnswerAsync(context, 202, Representation(deposition));
                return;
            case ("POST", "edit"):
                // resources/deposit-actions/_edit.md: "400 Bad Request: Deposition state does not allow for editing (e.g. depositions in state inprogress)".
                if (deposition.State != DepositionState.Published) { await AnswerAsync(context, 400, Error(400, "Deposition state does not allow for editing.")); return; }
                deposition.State = DepositionState.Editing;
                await AnswerAsync(context, 201, Representation(deposition));
                return;
            case ("POST", "discard"):
                // resources/deposit-actions/_discard.md: "400 Bad Request: Deposition is not being edited."
                if (deposition.State != DepositionState.Editing) { await AnswerAsync(context, 400, Error(400, "Deposition is not being edited.")); return; }
                deposition.State = DepositionState.Published;
                deposition.Metadata = deposition.PublishedMetadata?.DeepClone() as JsonObject ?? deposition.Metadata;
                await AnswerAsync(context, 201, Representation(deposition));
                return;
            default:
                await AnswerAsync(context, 405, Error(405, "The method is not allowed for the requested URL."));
                return;
        }
    }

    /// <summary>
    /// The deposition resource (resources/deposit/_representation.md, and the create answer in overview/_quickstart.md):
    /// doi, doi_url, record_url only once published.
    /// </summary>
    private JsonObject Representation(Deposition d)
    {
        var api = BaseUrl.AbsoluteUri.TrimEnd('/');
        var site = api[..^"/api".Length];
        var self = $"{api}/deposit/depositions/{d.Id}";
        if (d.State == DepositionState.Published) d.PublishedMetadata = d.Metadata?.DeepClone() as JsonObject;
        var metadata = d.Metadata?.DeepClone() as JsonObject ?? [];
        metadata["prereserve_doi"] = new JsonObject { ["doi"] = $"{DoiPrefix}/zenodo.{d.Id}", ["recid"] = d.Id };
        if (d.Publications > 0) metadata["doi"] = $"{DoiPrefix}/zenodo.{d.Id}";
        var representation = new JsonObject
        {
            ["conceptrecid"] = (d.Id - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["created"] = "2026-12-01T09:00:00.000000+00:00",
            ["files"] = new JsonArray(),
            ["id"] = d.Id,
            ["links"] = new JsonObject
            {
                ["bucket"] = $"{api}/files/{new Guid((int)d.Id, 0, 0, new byte[8])}",
                ["discard"] = self + "/actions/discard",
                ["edit"] = self + "/actions/edit",
                ["files"] = self + "/files",
                ["html"] = $"{site}/deposit/{d.Id}",
                ["latest_draft"] = self,
                ["latest_draft_html"] = $"{site}/deposit/{d.Id}",
                ["publish"] = self + "/actions/publish",
                ["self"] = self,
            },
            ["metadata"] = metadata,
            ["modified"] = "2026-12-01T09:00:00.000000+00:00",
            ["owner"] = 12345,
            ["record_id"] = d.Id,
            ["state"] = d.State switch { DepositionState.Draft => "unsubmitted", DepositionState.Editing => "inprogress", _ => "done" },
            ["submitted"] = d.Publications > 0,
            ["title"] = metadata["title"]?.GetValue<string>() ?? "",
        };
        if (d.Publications > 0)
        {
            representation["doi"] = $"{DoiPrefix}/zenodo.{d.Id}";
            representation["doi_url"] = $"https://doi.org/{DoiPrefix}/zenodo.{d.Id}";
            representation["record_url"] = $"{site}/record/{d.Id}";
        }

        return representation;
    }

    /// <summary>The deposition metadata rules of resources/deposit/_representation.md (required fields and controlled vocabularies).</summary>
    private static List<(string Field, string Message)> Validate(JsonObject? metadata)
    {
        var problems = new List<(string, string)>();
        if (metadata is null) return [("metadata", "Missing data for required field.")];
        string? Text(string field) => metadata[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        void Required(string field)
        {
            if (string.IsNullOrWhiteSpace(Text(field))) problems.Add((field, "Missing data for required field."));
        }

        void Choice(string field, string[] allowed)
        {
            if (Text(field) is { } value && !allowed.Contains(value, StringComparer.Ordinal)) problems.Add((field, "Not a valid choice"));
        }

        Required("upload_type");
        Choice("upload_type", UploadTypes);
        Required("title");
        Required("description");
        Choice("access_right", AccessRights);
        if (Text("publication_date") is { } date && !DateOnly.TryParseExact(date, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)) problems.Add(("publication_date", "Not a valid date."));
        if (metadata["creators"] is not JsonArray { Count: > 0 } creators) problems.Add(("creators", "Missing data for required field."));
        else if (creators.Any(c => c?["name"] is not JsonValue name || string.IsNullOrWhiteSpace(name.GetValue<string>()))) problems.Add(("creators", "Each creator needs a name."));
        var access = Text("access_right") ?? "open";
        if (access == "embargoed") Required("embargo_date");
        if (access == "restricted") Required("access_conditions");
        if (Text("license") is { } license && !Licenses.Contains(license, StringComparer.Ordinal)) problems.Add(("license", "Not a valid choice"));
        foreach (var related in metadata["related_identifiers"] as JsonArray ?? [])
        {
            if (related?["identifier"] is not JsonValue) problems.Add(("related_identifiers", "Missing data for required field."));
            if (related?["relation"] is not JsonValue relation || !Relations.Contains(relation.GetValue<string>(), StringComparer.Ordinal)) problems.Add(("related_identifiers", "Not a valid choice"));
        }

        foreach (var community in metadata["communities"] as JsonArray ?? [])
        {
            if (community?["identifier"] is not JsonValue) problems.Add(("communities", "Missing data for required field."));
        }

        // resources/deposit/_representation.md: a bare id (European Commission grants only) or "<funder DOI>::<award>";
        // Zenodo's current deposit API accepts only the second (zenodo/zenodo-rdm, legacy/deserializers/schemas.py, _funding).
        foreach (var grant in metadata["grants"] as JsonArray ?? [])
        {
            if (grant?["id"] is not JsonValue id || !id.GetValue<string>().Contains("::", StringComparison.Ordinal)) problems.Add(("grants", "Not a valid grant id."));
        }

        return problems;
    }

    private static readonly string[] UploadTypes = ["publication", "poster", "presentation", "dataset", "image", "video", "software", "lesson", "physicalobject", "other"];

    private static readonly string[] AccessRights = ["open", "embargoed", "restricted", "closed"];

    private static readonly string[] Relations =
    [
        "isCitedBy", "cites", "isSupplementTo", "isSupplementedBy", "isContinuedBy", "continues", "isDescribedBy", "describes", "hasMetadata",
        "isMetadataFor", "isNewVersionOf", "isPreviousVersionOf", "isPartOf", "hasPart", "isReferencedBy", "references", "isDocumentedBy", "documents",
        "isCompiledBy", "compiles", "isVariantFormOf", "isOriginalFormof", "isIdenticalTo", "isAlternateIdentifier", "isReviewedBy", "reviews",
        "isDerivedFrom", "isSourceOf", "requires", "isRequiredBy", "isObsoletedBy", "obsoletes",
    ];

    /// <summary>The Creative Commons part of Zenodo's licence ids (zenodo/zenodo-rdm, legacy/vocabularies/data/legacy_to_rdm_map.json).</summary>
    private static readonly string[] Licenses =
    [
        .. new[] { "by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd" }.SelectMany(k => new[] { "1.0", "2.0", "2.5", "3.0", "4.0" }.Select(v => $"cc-{k}-{v}")),
        "cc0-1.0", "cc-zero", "cc-by", "cc-by-sa", "cc-nc",
    ];

    private static JsonObject Error(int status, string message) => new() { ["message"] = message, ["status"] = status };

    /// <summary>overview/_api-basics.md: <c>{"message": "Validation error", "status": 400, "errors": [{"code": 10, "message": …, "field": …}]}</c>.</summary>
    private static JsonObject ValidationError(List<(string Field, string Message)> problems) => new()
    {
        ["message"] = "Validation error",
        ["status"] = 400,
        ["errors"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject { ["code"] = 10, ["message"] = p.Message, ["field"] = p.Field })]),
    };

    private static async Task AnswerAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
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

    /// <summary>The metadata as last published (a discarded edit goes back to it).</summary>
    public JsonObject? PublishedMetadata { get; set; }

    public int Publications { get; set; }
}
