namespace ImagingRepo.Service.Users;

/// <summary>A platform user as the identity directory knows them.</summary>
internal sealed record UserRecord
{
    public required string Username { get; init; }

    /// <summary>The identity provider's subject id, once the user was seen with a token or registered with one.</summary>
    public string? Uid { get; init; }

    /// <summary>POSIX group id of the user's workspace; null until assigned.</summary>
    public int? Gid { get; init; }
    public string Name { get; init; } = "";
    public string Email { get; init; } = "";
    public string? SiteCode { get; init; }
    public IReadOnlyList<string> Roles { get; init; } = [];
    public IReadOnlyList<string> Projects { get; init; } = [];
    public bool Disabled { get; init; }
    public bool EmailVerified { get; init; }
    public required DateTimeOffset CreationDate { get; init; }
}

/// <summary>A site (hospital, provider) users and studies belong to.</summary>
internal sealed record SiteRecord(string Code, string Name, string Country, string Url, string ContactName, string ContactEmail);
