using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Projects;

/// <summary><c>PUT /projects/{code}</c> body: <c>ProjectDetails</c> with a logo URL and the project's settings.</summary>
internal sealed record ProjectBody
{
    public string? Name { get; init; }
    public string? ShortDescription { get; init; }
    public string? ExternalUrl { get; init; }
    public string? LogoUrl { get; init; }
    public ProjectConfigBody? ProjectConfig { get; init; }
}

/// <summary><c>ProjectConfig</c> as sent.</summary>
internal sealed record ProjectConfigBody
{
    public string? DefaultContactInfo { get; init; }
    public LicenseBody? DefaultLicense { get; init; }
    public string? ZenodoAccessToken { get; init; }
    public string? ZenodoAuthor { get; init; }
    public string? ZenodoCommunity { get; init; }
    public string? ZenodoGrant { get; init; }
}

/// <summary>A licence as sent.</summary>
internal sealed record LicenseBody
{
    public string? Title { get; init; }
    public string? Url { get; init; }
}

/// <summary><c>Subproject</c> as sent.</summary>
internal sealed record SubprojectBody
{
    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? ExternalId { get; init; }
}

/// <summary>An item of <c>GET /projects</c>.</summary>
internal sealed record ProjectListItemWire(string Code, string Name, string LogoUrl);

/// <summary><c>GET /projects</c> with purpose <c>projectList</c>.</summary>
internal sealed record ProjectListWire(IReadOnlyList<ProjectListItemWire> List, IReadOnlyList<string> AllowedActionsForTheUser);

/// <summary><c>GET /projects/{code}</c>.</summary>
internal sealed record ProjectDetailsWire(
    string Code, string Name, string ShortDescription, string ExternalUrl, string LogoUrl, IReadOnlyList<string> EditablePropertiesByTheUser,
    IReadOnlyList<string> AllowedActionsForTheUser);

/// <summary><c>ProjectConfig</c> as answered.</summary>
internal sealed record ProjectConfigWire(
    string DefaultContactInfo, LicenseWire DefaultLicense, string ZenodoAccessToken, string ZenodoAuthor, string ZenodoCommunity, string ZenodoGrant);

/// <summary>A subproject as listed.</summary>
internal sealed record SubprojectWire(string Code, string Name, string Description, string ExternalId);

/// <summary><c>GET /projects/{code}/subprojects</c>.</summary>
internal sealed record SubprojectListWire(IReadOnlyList<SubprojectWire> List, IReadOnlyList<string> AllowedActionsForTheUser);

/// <summary>The form of <c>PUT /projects/{code}/logo</c> (read by <see cref="ProjectLogoStore"/>): the image, or empty to remove the logo.</summary>
internal sealed record ProjectLogoForm(Microsoft.AspNetCore.Http.IFormFile? Logo);
