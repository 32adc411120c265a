using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Projects;

/// <summary>Settings of <see cref="ProjectsClient"/> (section <c>ImagingRepo:Projects</c>).</summary>
public sealed class ProjectsClientOptions : ClientOptionsBase
{
}
