using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Service.Pids;

/// <summary>Which persistent-identifier provider the service uses.</summary>
internal enum PidProviderKind
{
    /// <summary>No registry: the dataset's stable landing page (embedded default).</summary>
    Local,

    /// <summary>Zenodo's deposition API: a DOI per published dataset.</summary>
    Zenodo,
}

/// <summary>Persistent identifiers (section <c>ImagingRepo:Service:Pids</c>).</summary>
internal sealed class PidOptions
{
    public const string SectionName = "ImagingRepo:Service:Pids";

    public PidProviderKind Provider { get; set; } = PidProviderKind.Local;

    /// <summary>
    /// The platform's public origin (e.g. <c>https://platform.example</c>), against which a relative
    /// <c>DatasetLinkFormat</c> is resolved for records outside any request (Zenodo's landing page of a dataset).
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    public ZenodoOptions Zenodo { get; set; } = new();
}

/// <summary>Zenodo's deposition API (section <c>ImagingRepo:Service:Pids:Zenodo</c>).</summary>
internal sealed class ZenodoOptions
{
    /// <summary>The API root: <c>https://zenodo.org/api/</c>, or <c>https://sandbox.zenodo.org/api/</c> to try it out.</summary>
    [Required]
    public Uri BaseUrl { get; set; } = new("https://zenodo.org/api/");

    /// <summary>
    /// The access token (scopes deposit:write and deposit:actions) used for projects that have none of their own
    /// (<c>zenodoAccessToken</c> of the project settings wins). From the environment or a secret store, never committed.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>The upload type of the records.</summary>
    [Required]
    public string UploadType { get; set; } = "dataset";

    /// <summary>How long one publication (all its calls and retries) may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one call may take.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Retries of a call that may be repeated (PUT, GET, DELETE) after a transient failure; POSTs are never repeated.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first wait before a retry (exponential with jitter after it).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
