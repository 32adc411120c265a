using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Users;

/// <summary>
/// The calls the directory makes on Keycloak's admin REST API (<c>{BaseUrl}/admin/realms/{realm}/…</c>), each with the
/// service account's bearer token. Transient failures are retried by the HTTP client's resilience pipeline; a 401 drops
/// the token and repeats the call once with a new one; any other failure is an <see cref="IdentityDirectoryException"/>
/// naming the call.
/// </summary>
internal sealed class KeycloakAdminClient(IHttpClientFactory httpClients, KeycloakTokenSource tokens, IOptions<IdentityDirectoryOptions> options)
{
    /// <summary>The named client of the admin API.</summary>
    public const string HttpClientName = "ImagingRepo.Keycloak.Admin";

    private static readonly KeycloakJsonContext Json = KeycloakJsonContext.Default;
    private readonly Lazy<Uri> _root = new(() => options.Value.AdminRealmUrl());
    private string? _rolesClientUuid;

    private int PageSize => options.Value.PageSize;

    /// <summary>The user with exactly this username (Keycloak keeps usernames in lower case), or null.</summary>
    public async Task<KeycloakUser?> FindUserAsync(string username, CancellationToken cancellationToken)
    {
        var found = await GetAsync("GET users?username&exact", $"users?username={Q(username)}&exact=true&briefRepresentation=false",
            Json.ListKeycloakUser, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Users other than <paramref name="exceptId"/> whose attribute <paramref name="name"/> is exactly <paramref name="value"/>.</summary>
    public async Task<bool> AnyOtherUserWithAttributeAsync(string name, string value, string exceptId, CancellationToken cancellationToken)
    {
        var found = await GetAsync("GET users?q=attribute", $"users?q={Q(name + ":" + value)}&exact=true&briefRepresentation=false&first=0&max=2",
            Json.ListKeycloakUser, cancellationToken).ConfigureAwait(false);
        return found.Any(u => u.Id != exceptId && u.Attribute(name) == value);
    }

    /// <summary>How many users match (<c>search</c>: username, e-mail, first or last name; <c>enabled</c>).</summary>
    public Task<int> CountUsersAsync(string? search, bool? enabled, CancellationToken cancellationToken) =>
        GetAsync("GET users/count", "users/count" + Filters(search, enabled, '?'), Json.Int32, cancellationToken);

    /// <summary>One page of matching users (full representations, with attributes).</summary>
    public Task<List<KeycloakUser>> SearchUsersAsync(string? search, bool? enabled, int first, int max, CancellationToken cancellationToken) =>
        GetAsync("GET users?search", $"users?briefRepresentation=false&first={first}&max={max}" + Filters(search, enabled, '&'), Json.ListKeycloakUser,
            cancellationToken);

    /// <summary>Every group the user is a direct member of.</summary>
    public async Task<List<KeycloakGroup>> UserGroupsAsync(string userId, CancellationToken cancellationToken)
    {
        var all = new List<KeycloakGroup>();
        for (var first = 0; ; first += PageSize)
        {
            var page = await GetAsync("GET users/{id}/groups", $"users/{P(userId)}/groups?briefRepresentation=true&first={first}&max={PageSize}",
                Json.ListKeycloakGroup, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            if (page.Count < PageSize) return all;
        }
    }

    /// <summary>The user's effective roles (composites and group roles included) of the roles client, or of the realm.</summary>
    public async Task<List<string>> UserRolesAsync(string userId, CancellationToken cancellationToken)
    {
        List<KeycloakRole> roles;
        if (options.Value.RolesClientId is { Length: > 0 } clientId)
        {
            var clientUuid = _rolesClientUuid ??= await ClientUuidAsync(clientId, cancellationToken).ConfigureAwait(false);
            roles = await GetAsync("GET users/{id}/role-mappings/clients/{client}/composite",
                $"users/{P(userId)}/role-mappings/clients/{P(clientUuid)}/composite", Json.ListKeycloakRole, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            roles = await GetAsync("GET users/{id}/role-mappings/realm/composite", $"users/{P(userId)}/role-mappings/realm/composite",
                Json.ListKeycloakRole, cancellationToken).ConfigureAwait(false);
        }

        return [.. roles.Select(r => r.Name)];
    }

    /// <summary>
    /// Changes a user's attributes: reads the whole representation, lets <paramref name="change"/> edit its
    /// <c>attributes</c> (name → list of strings) and puts it back, so that nothing else of the user is lost.
    /// </summary>
    public async Task UpdateAttributesAsync(string userId, Action<JsonObject> change, CancellationToken cancellationToken)
    {
        JsonObject user;
        using (var read = await SendAsync("GET users/{id}", () => new HttpRequestMessage(HttpMethod.Get, Url($"users/{P(userId)}")), [HttpStatusCode.OK],
                   cancellationToken).ConfigureAwait(false))
        {
            try
            {
                user = JsonNode.Parse(await read.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)) as JsonObject
                    ?? throw new JsonException("not a JSON object");
            }
            catch (JsonException e)
            {
                throw new IdentityDirectoryException("GET users/{id}", _root.Value, 200, "the answer is not a user representation: " + e.Message, e);
            }
        }

        if (user["attributes"] is not JsonObject attributes)
        {
            attributes = [];
            user["attributes"] = attributes;
        }

        change(attributes);
        using var _ = await SendAsync("PUT users/{id}", () => new HttpRequestMessage(HttpMethod.Put, Url($"users/{P(userId)}"))
        {
            Content = new StringContent(user.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        }, [HttpStatusCode.NoContent, HttpStatusCode.OK], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The id of the top-level group named exactly <paramref name="name"/>, or null.</summary>
    public async Task<string?> FindGroupAsync(string name, CancellationToken cancellationToken)
    {
        var found = await GetAsync("GET groups?search", $"groups?search={Q(name)}&exact=true&briefRepresentation=true&first=0&max={PageSize}",
            Json.ListKeycloakGroup, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(g => g.Name == name)?.Id;
    }

    /// <summary>Creates the top-level group <paramref name="name"/> unless it exists (409 from Keycloak counts as done); its id.</summary>
    public async Task<string> EnsureGroupAsync(string name, CancellationToken cancellationToken)
    {
        if (await FindGroupAsync(name, cancellationToken).ConfigureAwait(false) is { } existing) return existing;
        using var response = await SendAsync("POST groups", () => new HttpRequestMessage(HttpMethod.Post, Url("groups"))
        {
            Content = JsonContent.Create(new KeycloakNewGroup(name), Json.KeycloakNewGroup),
        }, [HttpStatusCode.Created, HttpStatusCode.Conflict], cancellationToken).ConfigureAwait(false);
        // Keycloak answers 201 with the new group's URL; 409 when another replica created it in between.
        if (response.StatusCode == HttpStatusCode.Created && response.Headers.Location is { } location)
        {
            return Uri.UnescapeDataString(location.OriginalString.TrimEnd('/').Split('/')[^1]);
        }

        return await FindGroupAsync(name, cancellationToken).ConfigureAwait(false)
            ?? throw new IdentityDirectoryException("POST groups", _root.Value, (int)response.StatusCode, "the group was neither created nor found afterwards");
    }

    /// <summary>Makes the user a member of the group.</summary>
    public async Task JoinAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync("PUT users/{id}/groups/{groupId}", () => new HttpRequestMessage(HttpMethod.Put, Url($"users/{P(userId)}/groups/{P(groupId)}")),
            [HttpStatusCode.NoContent], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the user's membership of the group.</summary>
    public async Task LeaveAsync(string userId, string groupId, CancellationToken cancellationToken)
    {
        using var _ = await SendAsync("DELETE users/{id}/groups/{groupId}", () => new HttpRequestMessage(HttpMethod.Delete, Url($"users/{P(userId)}/groups/{P(groupId)}")),
            [HttpStatusCode.NoContent], cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ClientUuidAsync(string clientId, CancellationToken cancellationToken)
    {
        var clients = await GetAsync("GET clients?clientId", $"clients?clientId={Q(clientId)}&first=0&max=2", Json.ListKeycloakClient, cancellationToken)
            .ConfigureAwait(false);
        return clients.FirstOrDefault(c => c.ClientId == clientId)?.Id
            ?? throw new IdentityDirectoryException("GET clients?clientId", _root.Value, 200,
                $"no client '{clientId}' in the realm (see {IdentityDirectoryOptions.SectionName}:RolesClientId)");
    }

    private async Task<T> GetAsync<T>(string operation, string relative, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(operation, () => new HttpRequestMessage(HttpMethod.Get, Url(relative)), [HttpStatusCode.OK], cancellationToken)
            .ConfigureAwait(false);
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false)
                ?? throw new IdentityDirectoryException(operation, _root.Value, 200, "the answer is empty");
        }
        catch (JsonException e)
        {
            throw new IdentityDirectoryException(operation, _root.Value, 200, "the answer is not the representation expected: " + e.Message, e);
        }
    }

    /// <summary>Sends the request made by <paramref name="make"/>; on 401 once more with a new token; any status not expected is an error.</summary>
    private async Task<HttpResponseMessage> SendAsync(string operation, Func<HttpRequestMessage> make, HttpStatusCode[] expected, CancellationToken cancellationToken)
    {
        var http = httpClients.CreateClient(HttpClientName);
        var response = await SendOnceAsync(http, operation, make, cancellationToken).ConfigureAwait(false);
        if (response.Response.StatusCode == HttpStatusCode.Unauthorized)
        {
            // The token expired early or was revoked: log in again, once. A second 401 means the account itself is refused.
            response.Response.Dispose();
            tokens.Invalidate(response.Token);
            response = await SendOnceAsync(http, operation, make, cancellationToken).ConfigureAwait(false);
        }

        if (expected.Contains(response.Response.StatusCode)) return response.Response;
        using (response.Response)
        {
            var status = (int)response.Response.StatusCode;
            var reason = response.Response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => "the service account's token is refused",
                HttpStatusCode.Forbidden => "the service account lacks a realm-management role for this call",
                HttpStatusCode.NotFound => "not found (wrong realm, or the user or group is gone)",
                _ => string.IsNullOrEmpty(response.Response.ReasonPhrase) ? "unexpected answer" : response.Response.ReasonPhrase,
            };
            var said = KeycloakError(await response.Response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            throw new IdentityDirectoryException(operation, _root.Value, status, said.Length > 0 ? $"{reason} (Keycloak: {said})" : reason);
        }
    }

    /// <summary>
    /// Keycloak's own words from an error body: the admin API's <c>{"errorMessage": …}</c> (ErrorRepresentation) or
    /// <c>{"error": …, "error_description": …}</c> (its error handler and the OAuth endpoints); empty for anything else.
    /// </summary>
    internal static string KeycloakError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return "";
            string? Text(string name) => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            var message = Text("errorMessage") ?? Text("error") ?? "";
            return Text("error_description") is { Length: > 0 } description ? $"{message} {description}".Trim() : message;
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private async Task<(HttpResponseMessage Response, string Token)> SendOnceAsync(HttpClient http, string operation, Func<HttpRequestMessage> make,
        CancellationToken cancellationToken)
    {
        var token = await tokens.GetAsync(cancellationToken).ConfigureAwait(false);
        using var request = make();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return (await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false), token);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException or Polly.ExecutionRejectedException
                                  && !cancellationToken.IsCancellationRequested)
        {
            throw new IdentityDirectoryException(operation, _root.Value, null, e.Message, e);
        }
    }

    private Uri Url(string relative) => new(_root.Value, relative);

    private static string Q(string value) => Uri.EscapeDataString(value);

    private static string P(string value) => Uri.EscapeDataString(value);

    private static string Filters(string? search, bool? enabled, char first)
    {
        var parts = new List<string>(2);
        if (!string.IsNullOrEmpty(search)) parts.Add("search=" + Q(search));
        if (enabled is { } e) parts.Add("enabled=" + (e ? "true" : "false"));
        return parts.Count == 0 ? "" : first + string.Join('&', parts);
    }
}
