using System.ComponentModel.DataAnnotations;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Projects;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Traces;
using ImagingRepo.Client.Users;

namespace ImagingRepo.Client;

/// <summary>
/// Everything a client of a repository needs (configuration section <c>ImagingRepo</c>): the service endpoint, how to
/// sign in, how to ride out failures, the settings of each area client and the data lake.
/// </summary>
public sealed class ImagingRepoClientOptions
{
    /// <summary>The configuration section the options are read from by convention.</summary>
    public const string SectionName = "ImagingRepo";

    /// <summary>The dataset service's API root, e.g. <c>https://platform.example.org/dataset-service/api/</c>.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>How tokens are obtained (default: anonymous).</summary>
    public SignInOptions SignIn { get; set; } = new();

    /// <summary>Retries, timeouts and circuit breaker.</summary>
    public ClientResilienceOptions Resilience { get; set; } = new();

    /// <summary>Settings of <see cref="DatasetsClient"/>.</summary>
    public DatasetsClientOptions Datasets { get; set; } = new();

    /// <summary>Settings of <see cref="AccessClient"/>.</summary>
    public AccessClientOptions Access { get; set; } = new();

    /// <summary>Settings of <see cref="ProjectsClient"/>.</summary>
    public ProjectsClientOptions Projects { get; set; } = new();

    /// <summary>Settings of <see cref="UsersClient"/>.</summary>
    public UsersClientOptions Users { get; set; } = new();

    /// <summary>Settings of <see cref="TracesClient"/>, the tracer it talks to among them.</summary>
    public TracesClientOptions Traces { get; set; } = new();

    /// <summary>The data lake uploads go to (default: a local folder).</summary>
    public DataLakeOptions DataLake { get; set; } = new();
}
