using ImagingRepo.Client.Datasets;

namespace ImagingRepo.Client.Projects;

/// <summary>A project as the project list shows it.</summary>
public sealed record ProjectSummary
{
    /// <summary>The project code (<c>code</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Its long name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Its logo, or empty (<c>logoUrl</c>).</summary>
    public string? LogoUrl { get; init; }
}

/// <summary>The project list (<c>GET /projects</c> for <see cref="ProjectListPurpose.ProjectList"/>).</summary>
public sealed record ProjectList
{
    /// <summary>The projects (<c>list</c>).</summary>
    public IReadOnlyList<ProjectSummary>? List { get; init; }

    /// <summary>What the caller may do on projects (<c>allowedActionsForTheUser</c>).</summary>
    public IReadOnlyList<ProjectListAction>? AllowedActionsForTheUser { get; init; }
}

/// <summary>A project (<c>GET /projects/{code}</c>: <c>ProjectDetails</c> and its code, logo and permissions).</summary>
public sealed record ProjectDetails
{
    /// <summary>The project code (<c>code</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Its long name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>A short description (<c>shortDescription</c>).</summary>
    public string? ShortDescription { get; init; }

    /// <summary>Its web page (<c>externalUrl</c>).</summary>
    public string? ExternalUrl { get; init; }

    /// <summary>Its logo, or empty (<c>logoUrl</c>).</summary>
    public string? LogoUrl { get; init; }

    /// <summary>The properties the caller may change (<c>editablePropertiesByTheUser</c>).</summary>
    public IReadOnlyList<ProjectProperty>? EditablePropertiesByTheUser { get; init; }

    /// <summary>What else the caller may do (<c>allowedActionsForTheUser</c>).</summary>
    public IReadOnlyList<ProjectAction>? AllowedActionsForTheUser { get; init; }
}

/// <summary>The body of <c>PUT /projects/{code}</c>: creates or replaces a project.</summary>
public sealed record ProjectPut
{
    /// <summary>Its long name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>A short description (<c>shortDescription</c>).</summary>
    public string? ShortDescription { get; init; }

    /// <summary>Its web page (<c>externalUrl</c>).</summary>
    public string? ExternalUrl { get; init; }

    /// <summary>A logo to copy from this URL; empty for none (<c>logoUrl</c>).</summary>
    public string? LogoUrl { get; init; }

    /// <summary>Its configuration (<c>projectConfig</c>).</summary>
    public ProjectConfig? ProjectConfig { get; init; }
}

/// <summary>
/// A project's configuration (<c>ProjectConfig</c>): defaults for new datasets and the Zenodo account its datasets are
/// published with. A class rather than a record so that no generated <c>ToString</c> prints the Zenodo token.
/// </summary>
public sealed class ProjectConfig
{
    /// <summary>The contact information new datasets get (<c>defaultContactInfo</c>).</summary>
    public string? DefaultContactInfo { get; init; }

    /// <summary>The license new datasets get (<c>defaultLicense</c>).</summary>
    public License? DefaultLicense { get; init; }

    /// <summary>The Zenodo access token (<c>zenodoAccessToken</c>). A secret: never log it.</summary>
    public string? ZenodoAccessToken { get; init; }

    /// <summary>The author shown on Zenodo records (<c>zenodoAuthor</c>).</summary>
    public string? ZenodoAuthor { get; init; }

    /// <summary>The Zenodo community records join (<c>zenodoCommunity</c>).</summary>
    public string? ZenodoCommunity { get; init; }

    /// <summary>The grant records cite (<c>zenodoGrant</c>).</summary>
    public string? ZenodoGrant { get; init; }

    /// <summary>A description without the token.</summary>
    public override string ToString() =>
        $"ProjectConfig(contact {DefaultContactInfo}, license {DefaultLicense?.Title}, zenodo token {(string.IsNullOrEmpty(ZenodoAccessToken) ? "absent" : "set")})";
}

/// <summary>A subproject: a collection of cases within a project (<c>Subproject</c> and its code).</summary>
public sealed record Subproject
{
    /// <summary>The subproject code (<c>code</c>; not sent on <c>PUT</c>, where it is in the path).</summary>
    public string? Code { get; init; }

    /// <summary>Its name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>A short description (<c>description</c>).</summary>
    public string? Description { get; init; }

    /// <summary>Its id in the case explorer, the value of private tag (70D1,2000) (<c>externalId</c>).</summary>
    public string? ExternalId { get; init; }
}

/// <summary>A project's subprojects (<c>GET /projects/{code}/subprojects</c>).</summary>
public sealed record SubprojectList
{
    /// <summary>The subprojects (<c>list</c>).</summary>
    public IReadOnlyList<Subproject>? List { get; init; }

    /// <summary>What the caller may do on them (<c>allowedActionsForTheUser</c>).</summary>
    public IReadOnlyList<SubprojectAction>? AllowedActionsForTheUser { get; init; }
}
