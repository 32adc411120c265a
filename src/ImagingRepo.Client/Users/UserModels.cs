using ImagingRepo.Client.Datasets;

namespace ImagingRepo.Client.Users;

/// <summary>A user as the user list shows it (<c>UserListItem</c>).</summary>
public sealed record UserListItem
{
    /// <summary>The user's id from the identity provider (<c>uid</c>).</summary>
    public string? Uid { get; init; }

    /// <summary>The user name (<c>username</c>).</summary>
    public string? Username { get; init; }

    /// <summary>The user's POSIX group id, null until assigned (<c>gid</c>).</summary>
    public int? Gid { get; init; }

    /// <summary>The e-mail address (<c>email</c>).</summary>
    public string? Email { get; init; }

    /// <summary>The full name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>When the user was registered (<c>creationDate</c>).</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>True when the user may not sign in (<c>disabled</c>).</summary>
    public bool? Disabled { get; init; }

    /// <summary>True when the e-mail address was confirmed (<c>emailVerified</c>).</summary>
    public bool? EmailVerified { get; init; }
}

/// <summary>A page of users (<c>GET /users</c>).</summary>
public sealed record UserPage : PageBase
{
    /// <summary>The users (<c>list</c>).</summary>
    public IReadOnlyList<UserListItem>? List { get; init; }
}

/// <summary>A user's details (<c>GET /users/{username}</c>; with scope <c>gid</c> only <see cref="Gid"/> is set).</summary>
public sealed record UserDetails
{
    /// <summary>The user's id from the identity provider (<c>uid</c>).</summary>
    public string? Uid { get; init; }

    /// <summary>The user name (<c>username</c>).</summary>
    public string? Username { get; init; }

    /// <summary>The user's POSIX group id, null until assigned (<c>gid</c>).</summary>
    public int? Gid { get; init; }

    /// <summary>The full name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>The e-mail address (<c>email</c>).</summary>
    public string? Email { get; init; }

    /// <summary>The user's roles (<c>roles</c>).</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>The user's projects (<c>projects</c>).</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>The user's site (<c>siteCode</c>).</summary>
    public string? SiteCode { get; init; }

    /// <summary>The identity provider's attributes, in groups (<c>attributesFromAuthService</c>).</summary>
    public IReadOnlyList<UserAttributeGroup>? AttributesFromAuthService { get; init; }
}

/// <summary>A group of identity-provider attributes of a user.</summary>
public sealed record UserAttributeGroup
{
    /// <summary>The group's label (<c>displayName</c>).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Its attributes (<c>attributes</c>).</summary>
    public IReadOnlyList<UserAttribute>? Attributes { get; init; }
}

/// <summary>An identity-provider attribute of a user.</summary>
public sealed record UserAttribute
{
    /// <summary>The attribute's label (<c>displayName</c>).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Its values (<c>values</c>).</summary>
    public IReadOnlyList<string>? Values { get; init; }
}

/// <summary>The body of <c>PUT /users/{username}</c>: what is not set is kept.</summary>
public sealed record UserPut
{
    /// <summary>A GID to set (-1 to have one assigned); normally left out (<c>gid</c>).</summary>
    public int? Gid { get; init; }

    /// <summary>The roles (<c>roles</c>).</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>The projects (<c>projects</c>).</summary>
    public IReadOnlyList<string>? Projects { get; init; }

    /// <summary>The site (<c>siteCode</c>).</summary>
    public string? SiteCode { get; init; }
}

/// <summary>A user management job (<c>GET /users/{username}/managementJobs</c>).</summary>
public sealed record ManagementJob
{
    /// <summary>When it was started (<c>creationDate</c>).</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>Its name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its id, for its log (<c>uid</c>).</summary>
    public string? Uid { get; init; }

    /// <summary>Its state (<c>status</c>).</summary>
    public ManagementJobStatus? Status { get; init; }
}

/// <summary>A site (hospital) as the site list shows it.</summary>
public sealed record SiteSummary
{
    /// <summary>The site code (<c>code</c>).</summary>
    public string? Code { get; init; }

    /// <summary>The site's name (<c>name</c>).</summary>
    public string? Name { get; init; }
}

/// <summary>A site (<c>SiteDetails</c> and its code).</summary>
public sealed record SiteDetails
{
    /// <summary>The site code (<c>code</c>; not sent on <c>PUT</c>, where it is in the path).</summary>
    public string? Code { get; init; }

    /// <summary>The site's name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its country (<c>country</c>).</summary>
    public string? Country { get; init; }

    /// <summary>Its web page (<c>url</c>).</summary>
    public string? Url { get; init; }

    /// <summary>The responsible person (<c>contactName</c>).</summary>
    public string? ContactName { get; init; }

    /// <summary>The responsible person's e-mail (<c>contactEmail</c>).</summary>
    public string? ContactEmail { get; init; }
}
