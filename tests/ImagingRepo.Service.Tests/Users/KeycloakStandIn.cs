using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ImagingRepo.Service.Tests.Users;

/// <summary>
/// A Keycloak realm on 127.0.0.1 (Kestrel, free port) that answers the token endpoint and the admin API calls of the
/// directory the way Keycloak does (representations with id, username, enabled, attributes as string arrays; 201 with
/// Location, 409 for an existing group, 204 for memberships), holding users and groups in memory. It checks every
/// request: method and path, the exact query parameters, the bearer token it issued itself, the JSON body; whatever
/// does not fit is answered 400 and listed in <see cref="Violations"/>, which every test expects empty.
/// </summary>
public sealed class KeycloakStandIn : IAsyncDisposable
{
    public const string Realm = "platform";
    public const string ClientId = "imagingrepo-service";
    public const string RolesClient = "dataset-service";

    private LoopbackHttpServer? _server;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StandInUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _groups = new(StringComparer.Ordinal); // id → name (top level)
    private readonly HashSet<(string User, string Group)> _members = [];
    private readonly HashSet<string> _validTokens = new(StringComparer.Ordinal);
    private int _tokenCount;
    private int _groupSearchesToHide;

    private KeycloakStandIn()
    {
    }

    /// <summary>The client secret the token endpoint accepts (made per stand-in, never a committed value).</summary>
    public string ClientSecret { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public string RolesClientUuid { get; } = Guid.NewGuid().ToString();

    /// <summary>Keycloak's base URL, e.g. http://127.0.0.1:41234/auth.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request, as <c>METHOD path?query</c> (token requests as <c>POST token</c>).</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>What did not look like a request Keycloak accepts.</summary>
    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The lifetime the token endpoint states (expires_in).</summary>
    public int TokenLifetimeSeconds { get; set; } = 300;

    /// <summary>When set, the admin API answers every call with this status (a failing Keycloak).</summary>
    public int? FailWith { get; set; }

    public int TokensIssued => Volatile.Read(ref _tokenCount);

    public static async Task<KeycloakStandIn> StartAsync()
    {
        var standIn = new KeycloakStandIn();
        standIn._server = await LoopbackHttpServer.StartAsync(standIn.HandleAsync);
        standIn.BaseUrl = new Uri(standIn._server.Address, "auth");
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Adds a user as Keycloak would hold them; returns their id.</summary>
    public string AddUser(string username, bool enabled = true, Dictionary<string, List<string>>? attributes = null, IEnumerable<string>? roles = null,
        string firstName = "Ada", string lastName = "Lovelace")
    {
        var user = new StandInUser
        {
            Id = Guid.NewGuid().ToString(),
            Username = username.ToLowerInvariant(),
            Enabled = enabled,
            FirstName = firstName,
            LastName = lastName,
            Email = username.ToLowerInvariant() + "@example.org",
            CreatedTimestamp = 1_700_000_000_000,
            Attributes = attributes ?? [],
            Roles = [.. roles ?? []],
        };
        lock (_gate) _users[user.Id] = user;
        return user.Id;
    }

    /// <summary>Adds a top-level group; returns its id.</summary>
    public string AddGroup(string name)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate) _groups[id] = name;
        return id;
    }

    public void AddMember(string userId, string groupId)
    {
        lock (_gate) _members.Add((userId, groupId));
    }

    /// <summary>The names of the user's groups.</summary>
    public List<string> GroupsOf(string userId)
    {
        lock (_gate) return [.. _members.Where(m => m.User == userId).Select(m => _groups[m.Group]).Order(StringComparer.Ordinal)];
    }

    public List<string> GroupNames()
    {
        lock (_gate) return [.. _groups.Values.Order(StringComparer.Ordinal)];
    }

    /// <summary>The user's representation exactly as the stand-in answers <c>GET users/{id}</c>.</summary>
    public JsonObject UserJson(string userId)
    {
        lock (_gate) return _users[userId].ToJson();
    }

    public Dictionary<string, List<string>> AttributesOf(string userId)
    {
        lock (_gate) return _users[userId].Attributes.ToDictionary(a => a.Key, a => a.Value.ToList());
    }

    /// <summary>Keycloak forgets every token it issued (as after a restart or a revocation): the next admin call gets 401.</summary>
    public void RevokeTokens()
    {
        lock (_gate) _validTokens.Clear();
    }

    /// <summary>The next group searches find nothing (another replica creates the group between search and create).</summary>
    public void HideGroupsFromSearch(int searches) => Volatile.Write(ref _groupSearchesToHide, searches);

    public int Count(string prefix) => Requests.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        var tokenPath = $"/auth/realms/{Realm}/protocol/openid-connect/token";
        var adminPrefix = $"/auth/admin/realms/{Realm}/";
        if (path == tokenPath)
        {
            Requests.Enqueue("POST token");
            await TokenAsync(context);
            return;
        }

        Requests.Enqueue($"{request.Method} {path[Math.Min(path.Length, adminPrefix.Length)..]}{request.QueryString}");
        if (!path.StartsWith(adminPrefix, StringComparison.Ordinal))
        {
            await RefuseAsync(context, $"{request.Method} {path}: not under {adminPrefix}");
            return;
        }

        var auth = request.Headers.Authorization.ToString();
        bool valid;
        lock (_gate) valid = auth.StartsWith("Bearer ", StringComparison.Ordinal) && _validTokens.Contains(auth["Bearer ".Length..]);
        if (!valid)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "HTTP 401 Unauthorized" });
            return;
        }

        if (FailWith is { } failure)
        {
            context.Response.StatusCode = failure;
            await context.Response.WriteAsync("{\"error\":\"unknown_error\"}");
            return;
        }

        var segments = path[adminPrefix.Length..].Split('/');
        var handled = (request.Method, segments) switch
        {
            ("GET", ["users"]) => ListUsersAsync(context),
            ("GET", ["users", "count"]) => CountUsersAsync(context),
            ("GET", ["users", var id]) => GetUserAsync(context, id),
            ("PUT", ["users", var id]) => PutUserAsync(context, id),
            ("GET", ["users", var id, "groups"]) => UserGroupsAsync(context, id),
            ("PUT" or "DELETE", ["users", var id, "groups", var groupId]) => MembershipAsync(context, id, groupId),
            ("GET", ["users", var id, "role-mappings", "clients", var client, "composite"]) => RolesAsync(context, id, client),
            ("GET", ["clients"]) => ClientsAsync(context),
            ("GET", ["groups"]) => SearchGroupsAsync(context),
            ("POST", ["groups"]) => CreateGroupAsync(context),
            _ => RefuseAsync(context, $"{request.Method} {path}: no such admin API call"),
        };
        await handled;
    }

    private async Task TokenAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Method != "POST" || !request.HasFormContentType)
        {
            await RefuseAsync(context, "token: expected a form POST");
            return;
        }

        var form = await request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { error = "unauthorized_client", error_description = "Invalid client or Invalid client credentials" });
            return;
        }

        var token = "kc-" + Interlocked.Increment(ref _tokenCount) + "-" + Guid.NewGuid().ToString("N");
        lock (_gate) _validTokens.Add(token);
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            // Keycloak's AccessTokenResponse for client credentials: no refresh token, refresh_expires_in 0.
            ["access_token"] = token, ["expires_in"] = TokenLifetimeSeconds, ["refresh_expires_in"] = 0, ["token_type"] = "Bearer",
            ["not-before-policy"] = 0, ["scope"] = "profile email",
        });
    }

    private async Task ListUsersAsync(HttpContext context)
    {
        var q = context.Request.Query;
        List<StandInUser> found;
        if (q.ContainsKey("username"))
        {
            if (!await ExpectQueryAsync(context, required: new() { ["username"] = null, ["exact"] = "true", ["briefRepresentation"] = "false" })) return;
            lock (_gate) found = [.. _users.Values.Where(u => u.Username == q["username"].ToString().ToLowerInvariant())];
        }
        else if (q.ContainsKey("q"))
        {
            if (!await ExpectQueryAsync(context, required: new() { ["q"] = null, ["exact"] = "true", ["briefRepresentation"] = "false", ["first"] = "0", ["max"] = "2" })) return;
            var (key, value) = q["q"].ToString().Split(':', 2) switch { [var k, var v] => (k, v), _ => ("", "") };
            lock (_gate) found = [.. _users.Values.Where(u => u.Attributes.TryGetValue(key, out var values) && values.Contains(value))];
        }
        else
        {
            if (!await ExpectQueryAsync(context, required: new() { ["briefRepresentation"] = "false", ["first"] = null, ["max"] = null }, optional: ["search", "enabled"])) return;
            var first = int.Parse(q["first"]!, System.Globalization.CultureInfo.InvariantCulture);
            var max = int.Parse(q["max"]!, System.Globalization.CultureInfo.InvariantCulture);
            found = [.. Filter(q).Skip(first).Take(max)];
        }

        await context.Response.WriteAsJsonAsync(new JsonArray([.. found.Select(u => (JsonNode)u.ToJson())]));
    }

    private async Task CountUsersAsync(HttpContext context)
    {
        if (!await ExpectQueryAsync(context, required: [], optional: ["search", "enabled"])) return;
        await context.Response.WriteAsync(Filter(context.Request.Query).Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Keycloak's <c>search</c>: a substring of username, e-mail, first or last name; <c>enabled</c>: exactly.</summary>
    private List<StandInUser> Filter(IQueryCollection q)
    {
        var search = q["search"].ToString();
        var enabled = q["enabled"].ToString();
        lock (_gate)
        {
            return [.. _users.Values
                .Where(u => search.Length == 0 || new[] { u.Username, u.Email, u.FirstName, u.LastName }.Any(v => v.Contains(search, StringComparison.OrdinalIgnoreCase)))
                .Where(u => enabled.Length == 0 || u.Enabled == (enabled == "true"))
                .OrderBy(u => u.Username, StringComparer.Ordinal)];
        }
    }

    private async Task GetUserAsync(HttpContext context, string id)
    {
        if (!await ExpectQueryAsync(context, required: [])) return;
        StandInUser? user;
        lock (_gate) user = _users.GetValueOrDefault(id);
        if (user is null)
        {
            await NotFoundAsync(context, "User not found");
            return;
        }

        await context.Response.WriteAsJsonAsync(user.ToJson());
    }

    private async Task PutUserAsync(HttpContext context, string id)
    {
        if (await JsonBodyAsync(context) is not JsonObject body) return;
        StandInUser? user;
        lock (_gate) user = _users.GetValueOrDefault(id);
        if (user is null)
        {
            await NotFoundAsync(context, "User not found");
            return;
        }

        // The directory sends back the whole representation it read: a PUT that loses fields would blank them in Keycloak.
        if (body["id"]?.GetValue<string>() != user.Id || body["username"]?.GetValue<string>() != user.Username || body["email"]?.GetValue<string>() != user.Email
            || body["enabled"]?.GetValue<bool>() != user.Enabled || body["firstName"]?.GetValue<string>() != user.FirstName)
        {
            await RefuseAsync(context, $"PUT users/{id}: the representation does not carry the user's own fields back: {body.ToJsonString()}");
            return;
        }

        var attributes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in body["attributes"] as JsonObject ?? [])
        {
            if (values is not JsonArray array || array.Any(v => v is not JsonValue value || value.GetValueKind() != JsonValueKind.String))
            {
                await RefuseAsync(context, $"PUT users/{id}: attribute '{name}' is not an array of strings: {values?.ToJsonString()}");
                return;
            }

            attributes[name] = [.. array.Select(v => v!.GetValue<string>())];
        }

        lock (_gate) user.Attributes = attributes;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task UserGroupsAsync(HttpContext context, string id)
    {
        if (!await ExpectQueryAsync(context, required: new() { ["briefRepresentation"] = "true", ["first"] = null, ["max"] = null })) return;
        var first = int.Parse(context.Request.Query["first"]!, System.Globalization.CultureInfo.InvariantCulture);
        var max = int.Parse(context.Request.Query["max"]!, System.Globalization.CultureInfo.InvariantCulture);
        List<JsonNode>? groups;
        lock (_gate)
        {
            if (!_users.ContainsKey(id))
            {
                groups = null;
            }
            else
            {
                groups = [.. _members.Where(m => m.User == id).Select(m => (Id: m.Group, Name: _groups[m.Group])).OrderBy(g => g.Name, StringComparer.Ordinal)
                    .Skip(first).Take(max).Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["name"] = g.Name, ["path"] = "/" + g.Name, ["subGroups"] = new JsonArray() })];
            }
        }

        if (groups is null)
        {
            await NotFoundAsync(context, "User not found");
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonArray([.. groups]));
    }

    private async Task MembershipAsync(HttpContext context, string id, string groupId)
    {
        if (!await ExpectQueryAsync(context, required: [])) return;
        string? missing;
        lock (_gate)
        {
            missing = !_users.ContainsKey(id) ? "User not found" : !_groups.ContainsKey(groupId) ? "Group not found" : null;
            if (missing is null && context.Request.Method == "PUT") _members.Add((id, groupId));
            if (missing is null && context.Request.Method == "DELETE") _members.Remove((id, groupId));
        }

        if (missing is not null)
        {
            await NotFoundAsync(context, missing);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task RolesAsync(HttpContext context, string id, string client)
    {
        if (!await ExpectQueryAsync(context, required: [])) return;
        if (client != RolesClientUuid)
        {
            await NotFoundAsync(context, "Could not find client");
            return;
        }

        List<string> roles;
        lock (_gate) roles = _users.TryGetValue(id, out var user) ? user.Roles : [];
        await context.Response.WriteAsJsonAsync(new JsonArray([.. roles.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = "role-" + r, ["name"] = r, ["composite"] = false, ["clientRole"] = true, ["containerId"] = RolesClientUuid,
        })]));
    }

    private async Task ClientsAsync(HttpContext context)
    {
        if (!await ExpectQueryAsync(context, required: new() { ["clientId"] = RolesClient, ["first"] = "0", ["max"] = "2" })) return;
        await context.Response.WriteAsJsonAsync(new JsonArray(new JsonObject { ["id"] = RolesClientUuid, ["clientId"] = RolesClient, ["enabled"] = true }));
    }

    private async Task SearchGroupsAsync(HttpContext context)
    {
        if (!await ExpectQueryAsync(context, required: new() { ["search"] = null, ["exact"] = "true", ["briefRepresentation"] = "true", ["first"] = "0", ["max"] = null })) return;
        var search = context.Request.Query["search"].ToString();
        List<JsonNode> found;
        lock (_gate)
        {
            found = [.. _groups.Where(g => g.Value == search)
                .Select(g => (JsonNode)new JsonObject { ["id"] = g.Key, ["name"] = g.Value, ["path"] = "/" + g.Value, ["subGroupCount"] = 0, ["subGroups"] = new JsonArray() })];
        }

        if (Interlocked.Decrement(ref _groupSearchesToHide) >= 0) found = [];
        await context.Response.WriteAsJsonAsync(new JsonArray([.. found]));
    }

    private async Task CreateGroupAsync(HttpContext context)
    {
        if (!await ExpectQueryAsync(context, required: [])) return;
        if (await JsonBodyAsync(context) is not JsonObject body) return;
        if (body.Count != 1 || body["name"] is not JsonValue nameValue || nameValue.GetValueKind() != JsonValueKind.String)
        {
            await RefuseAsync(context, "POST groups: expected {\"name\": …} only, got " + body.ToJsonString());
            return;
        }

        var name = nameValue.GetValue<string>();
        string? id = null;
        lock (_gate)
        {
            if (!_groups.ContainsValue(name))
            {
                id = Guid.NewGuid().ToString();
                _groups[id] = name;
            }
        }

        if (id is null)
        {
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            await context.Response.WriteAsJsonAsync(new { errorMessage = $"Top level group named '{name}' already exists." });
            return;
        }

        context.Response.StatusCode = StatusCodes.Status201Created;
        context.Response.Headers.Location = $"{BaseUrl.AbsoluteUri.TrimEnd('/')}/admin/realms/{Realm}/groups/{id}";
    }

    /// <summary>Checks the query has exactly these parameters (a null value: any value), besides the optional ones.</summary>
    private async Task<bool> ExpectQueryAsync(HttpContext context, Dictionary<string, string?> required, string[]? optional = null)
    {
        var q = context.Request.Query;
        var problems = new List<string>();
        foreach (var (key, value) in required)
        {
            if (!q.TryGetValue(key, out var given) || given.Count != 1) problems.Add($"missing {key}");
            else if (value is not null && given.ToString() != value) problems.Add($"{key}={given} instead of {value}");
        }

        foreach (var key in q.Keys.Where(k => !required.ContainsKey(k) && !(optional ?? []).Contains(k))) problems.Add($"unexpected parameter {key}");
        if (problems.Count == 0) return true;
        await RefuseAsync(context, $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}: {string.Join(", ", problems)}");
        return false;
    }

    private async Task<JsonNode?> JsonBodyAsync(HttpContext context)
    {
        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.Ordinal))
        {
            await RefuseAsync(context, $"{context.Request.Method} {context.Request.Path}: Content-Type {context.Request.ContentType} is not application/json");
            return null;
        }

        try
        {
            return await JsonNode.ParseAsync(context.Request.Body);
        }
        catch (JsonException e)
        {
            await RefuseAsync(context, $"{context.Request.Method} {context.Request.Path}: body is not JSON: {e.Message}");
            return null;
        }
    }

    private static async Task NotFoundAsync(HttpContext context, string error)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        await context.Response.WriteAsJsonAsync(new { error });
    }

    private async Task RefuseAsync(HttpContext context, string violation)
    {
        Violations.Enqueue(violation);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        await context.Response.WriteAsync(violation, Encoding.UTF8);
    }

    private sealed class StandInUser
    {
        public required string Id { get; init; }
        public required string Username { get; init; }
        public bool Enabled { get; init; }
        public required string FirstName { get; init; }
        public required string LastName { get; init; }
        public required string Email { get; init; }
        public long CreatedTimestamp { get; init; }
        public Dictionary<string, List<string>> Attributes { get; set; } = [];
        public List<string> Roles { get; init; } = [];

        public JsonObject ToJson()
        {
            var attributes = new JsonObject();
            foreach (var (name, values) in Attributes) attributes[name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            return new JsonObject
            {
                ["id"] = Id, ["username"] = Username, ["firstName"] = FirstName, ["lastName"] = LastName, ["email"] = Email, ["emailVerified"] = true,
                ["createdTimestamp"] = CreatedTimestamp, ["enabled"] = Enabled, ["totp"] = false, ["attributes"] = attributes,
                ["disableableCredentialTypes"] = new JsonArray(), ["requiredActions"] = new JsonArray(), ["notBefore"] = 0,
                ["access"] = new JsonObject { ["manageGroupMembership"] = true, ["view"] = true, ["mapRoles"] = true, ["impersonate"] = false, ["manage"] = true },
            };
        }
    }
}
