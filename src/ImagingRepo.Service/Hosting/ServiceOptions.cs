using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Service.Hosting;

/// <summary>The service's own settings (section <c>ImagingRepo:Service</c>).</summary>
internal sealed class ServiceOptions
{
    public const string SectionName = "ImagingRepo:Service";

    /// <summary>
    /// Where the embedded defaults keep their files (SQLite database, trace outbox and ledger, pseudonymization key,
    /// data lake and datasets); default <c>imagingrepo/service</c> under the user's local application data.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The Dataset Explorer's link to a dataset (<c>url</c> of a created dataset), with <c>{0}</c> for the id; relative
    /// links are resolved against the request's origin.
    /// </summary>
    [Required]
    public string DatasetLinkFormat { get; set; } = "/web/datasets/{0}/details";

    /// <summary>Origins allowed to call the API from a browser (the Dataset Explorer served elsewhere); empty: none.</summary>
    public string[]? CorsOrigins { get; set; }

    /// <summary>A path the service is served under behind a proxy (e.g. <c>/dataset-service</c>); empty: the root.</summary>
    public string? PathBase { get; set; }

    /// <summary>The <c>callerId</c> of the traces the service records.</summary>
    [Required]
    [MaxLength(256)]
    public string CallerId { get; set; } = "imagingrepo-service";

    /// <summary>The secret EUCAIM's federated search sends (<c>Authorization: Secret …</c>); unset: the search endpoint answers 404.</summary>
    public string? EucaimSearchToken { get; set; }

    /// <summary>EUCAIM searches answered per minute and client address (each reads every published dataset's studies).</summary>
    [Range(1, 1_000_000)]
    public int SearchRequestsPerMinute { get; set; } = 120;

    /// <summary>The blockchain name the tracer API gives our outbox and ledger (<c>blockchain</c> in its answers).</summary>
    [Required]
    [MaxLength(64)]
    public string TracerBlockchain { get; set; } = "IMAGINGREPO_LEDGER";

    /// <summary>The first GID handed to users (<c>PUT /users/{username}</c> with gid -1).</summary>
    [Range(1000, int.MaxValue)]
    public int FirstUserGid { get; set; } = 2000;

    /// <summary>The data directory as configured, or the default.</summary>
    public string ResolvedDataDirectory => DataDirectory is { Length: > 0 } dir
        ? Path.GetFullPath(dir)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "imagingrepo", "service");
}
