namespace ImagingRepo.Service.Projects;

/// <summary>The per-project settings (<c>ProjectConfig</c>): defaults of new datasets and the Zenodo account.</summary>
internal sealed record ProjectConfigRecord
{
    public string DefaultContactInfo { get; init; } = "";
    public string DefaultLicenseTitle { get; init; } = "";
    public string DefaultLicenseUrl { get; init; } = "";

    /// <summary>Secret: shown only to those who may configure the project, never logged.</summary>
    public string ZenodoAccessToken { get; init; } = "";
    public string ZenodoAuthor { get; init; } = "";
    public string ZenodoCommunity { get; init; } = "";
    public string ZenodoGrant { get; init; } = "";
}

/// <summary>A project: datasets belong to one; users join through the group <c>PROJECT-&lt;code&gt;</c>.</summary>
internal sealed record ProjectRecord
{
    public required string Code { get; init; }
    public required string Name { get; init; }
    public string ShortDescription { get; init; } = "";
    public string ExternalUrl { get; init; } = "";
    public string LogoUrl { get; init; } = "";
    public ProjectConfigRecord Config { get; init; } = new();
}

/// <summary>A subproject (a collection inside a project).</summary>
internal sealed record SubprojectRecord(string Code, string Name, string Description, string ExternalId);
