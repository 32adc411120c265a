using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Users;

/// <summary><c>PUT /users/{username}</c> body; each property left out keeps the stored value.</summary>
internal sealed record UserBody
{
    public int? Gid { get; init; }
    public IReadOnlyList<string>? Roles { get; init; }
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>Null clears the site; left out keeps it (see <see cref="SiteCodeGiven"/>).</summary>
    public string? SiteCode
    {
        get;
        init
        {
            field = value;
            SiteCodeGiven = true;
        }
    }

    [JsonIgnore]
    public bool SiteCodeGiven { get; private init; }
}

/// <summary><c>UserListItem</c>.</summary>
internal sealed record UserListItemWire(string? Uid, string Username, int? Gid, string Email, string Name, DateTime CreationDate, bool Disabled, bool EmailVerified);

/// <summary><c>GET /users/{username}?scope=gid</c>.</summary>
internal sealed record UserGidWire(int? Gid);

/// <summary><c>GET /users/{username}?scope=all</c>.</summary>
internal sealed record UserDetailsWire(
    string? Uid, string Username, int? Gid, string Name, string Email, IReadOnlyList<string> Roles, IReadOnlyList<string> Projects, string? SiteCode,
    IReadOnlyList<AttributeGroupWire> AttributesFromAuthService);

/// <summary>A group of attributes from the identity provider.</summary>
internal sealed record AttributeGroupWire(string DisplayName, IReadOnlyList<AttributeWire> Attributes);

/// <summary>One attribute and its values.</summary>
internal sealed record AttributeWire(string DisplayName, IReadOnlyList<string> Values);

/// <summary>A user management job (none run in the embedded service).</summary>
internal sealed record ManagementJobWire(DateTime CreationDate, string Name, string Uid, string Status);

/// <summary><c>PUT /sites/{code}</c> body (<c>SiteDetails</c>).</summary>
internal sealed record SiteBody
{
    public string? Name { get; init; }
    public string? Country { get; init; }
    public string? Url { get; init; }
    public string? ContactName { get; init; }
    public string? ContactEmail { get; init; }
}

/// <summary>A site as listed (<c>{code, name}</c>) or detailed.</summary>
internal sealed record SiteWire(string Code, string Name, string Country, string Url, string ContactName, string ContactEmail);

/// <summary>An item of <c>GET /sites</c>.</summary>
internal sealed record SiteListItemWire(string Code, string Name);
