using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Users;

/// <summary>The part of Keycloak's <c>UserRepresentation</c> the directory reads.</summary>
internal sealed record KeycloakUser
{
    public string Id { get; init; } = "";
    public string Username { get; init; } = "";
    public bool Enabled { get; init; }
    public bool EmailVerified { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }

    /// <summary>Milliseconds since the epoch.</summary>
    public long? CreatedTimestamp { get; init; }

    /// <summary>Custom attributes; Keycloak keeps every value as a list of strings.</summary>
    public Dictionary<string, List<string>>? Attributes { get; init; }

    /// <summary>The first value of an attribute, or null.</summary>
    public string? Attribute(string name) =>
        Attributes is not null && Attributes.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;
}

/// <summary>Keycloak's <c>GroupRepresentation</c> (brief).</summary>
internal sealed record KeycloakGroup
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Path { get; init; }
}

/// <summary>The body of <c>POST groups</c>.</summary>
internal sealed record KeycloakNewGroup(string Name);

/// <summary>Keycloak's <c>RoleRepresentation</c> (what the directory reads of it).</summary>
internal sealed record KeycloakRole
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
}

/// <summary>Keycloak's <c>ClientRepresentation</c> (its internal id and its client id).</summary>
internal sealed record KeycloakClient
{
    public string Id { get; init; } = "";
    public string ClientId { get; init; } = "";
}

/// <summary>Source-generated JSON of the admin API's representations.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<KeycloakUser>))]
[JsonSerializable(typeof(KeycloakUser))]
[JsonSerializable(typeof(List<KeycloakGroup>))]
[JsonSerializable(typeof(KeycloakNewGroup))]
[JsonSerializable(typeof(List<KeycloakRole>))]
[JsonSerializable(typeof(List<KeycloakClient>))]
[JsonSerializable(typeof(int))]
internal sealed partial class KeycloakJsonContext : JsonSerializerContext;
