using System.Net.Http.Headers;
using System.Text.Json;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;

namespace ImagingRepo.Client.Projects;

/// <summary>The projects area of the dataset service API v1: projects, their configuration (Zenodo), logos and subprojects.</summary>
public sealed class ProjectsClient
{
    private readonly ApiPipeline _api;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The API root.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public ProjectsClient(Uri endpoint, IAccessTokenProvider? tokens, ProjectsClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, null), options)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the API root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public ProjectsClient(HttpClient http, ProjectsClientOptions? options)
    {
        _api = new ApiPipeline(http);
        Options = options ?? new ProjectsClientOptions();
    }

    /// <summary>The settings.</summary>
    public ProjectsClientOptions Options { get; }

    /// <summary>Every project, with the caller's allowed actions (<c>GET /projects</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ProjectList> GetProjectsAsync(CancellationToken cancellationToken = default) =>
        _api.GetAsync("projects?purpose=projectList", ClientJsonContext.Default.ProjectList, cancellationToken);

    /// <summary>The codes of the projects that serve <paramref name="purpose"/> for the caller (e.g. where they may create datasets).</summary>
    /// <param name="purpose">What the list is for; not <see cref="ProjectListPurpose.ProjectList"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> GetProjectCodesAsync(ProjectListPurpose purpose, CancellationToken cancellationToken = default)
    {
        if (purpose == ProjectListPurpose.ProjectList) throw new ArgumentException("use GetProjectsAsync for the project list", nameof(purpose));
        return await _api.GetAsync(new Query("projects").Add("purpose", purpose.Value).ToString(), ClientJsonContext.Default.ListString, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>A project's details.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ProjectDetails> GetProjectAsync(string code, CancellationToken cancellationToken = default) =>
        _api.GetAsync("projects/" + Query.Segment(code), ClientJsonContext.Default.ProjectDetails, cancellationToken);

    /// <summary>Creates or replaces a project.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="project">Its details and configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PutProjectAsync(string code, ProjectPut project, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, "projects/" + Query.Segment(code), project, ClientJsonContext.Default.ProjectPut, cancellationToken);

    /// <summary>Changes one property of a project.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="property">The property.</param>
    /// <param name="value">The new value as JSON.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task UpdatePropertyAsync(string code, ProjectProperty property, JsonElement value, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Patch, "projects/" + Query.Segment(code), new PropertyPatch(property.Value, value), ClientJsonContext.Default.PropertyPatch,
            cancellationToken);

    /// <summary>Deletes a project without datasets (its subprojects go with it).</summary>
    /// <param name="code">The project code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task DeleteProjectAsync(string code, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Delete, "projects/" + Query.Segment(code), null, cancellationToken);

    /// <summary>Uploads a project's logo, or removes it when <paramref name="image"/> is null.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="image">The image, or null to remove the logo.</param>
    /// <param name="fileName">The image's file name (its extension tells the type).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SetLogoAsync(string code, Stream? image, string fileName, CancellationToken cancellationToken = default)
    {
        var form = new MultipartFormDataContent();
        if (image is null)
        {
            form.Add(new StringContent(""), "logo");
        }
        else
        {
            var part = new StreamContent(image);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "logo", fileName);
        }

        return _api.SendAsync(HttpMethod.Put, $"projects/{Query.Segment(code)}/logo", form, cancellationToken);
    }

    /// <summary>A project's configuration (its Zenodo token included: keep it out of logs).</summary>
    /// <param name="code">The project code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<ProjectConfig> GetConfigAsync(string code, CancellationToken cancellationToken = default) =>
        _api.GetAsync($"projects/{Query.Segment(code)}/config", ClientJsonContext.Default.ProjectConfig, cancellationToken);

    /// <summary>Sets a project's configuration.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="config">The configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task SetConfigAsync(string code, ProjectConfig config, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, $"projects/{Query.Segment(code)}/config", config, ClientJsonContext.Default.ProjectConfig, cancellationToken);

    /// <summary>A project's subprojects.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<SubprojectList> GetSubprojectsAsync(string code, CancellationToken cancellationToken = default) =>
        _api.GetAsync($"projects/{Query.Segment(code)}/subprojects", ClientJsonContext.Default.SubprojectList, cancellationToken);

    /// <summary>Creates or replaces a subproject.</summary>
    /// <param name="code">The project code.</param>
    /// <param name="subprojectCode">The subproject code.</param>
    /// <param name="subproject">Its name, description and external id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task PutSubprojectAsync(string code, string subprojectCode, Subproject subproject, CancellationToken cancellationToken = default) =>
        _api.SendAsync(HttpMethod.Put, $"projects/{Query.Segment(code)}/subprojects/{Query.Segment(subprojectCode)}", subproject with { Code = null },
            ClientJsonContext.Default.Subproject, cancellationToken);
}
