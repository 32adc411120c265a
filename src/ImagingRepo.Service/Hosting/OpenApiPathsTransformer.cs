using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Writes the document as the v1 spec is written: paths relative to the server <c>/api</c>, a bearer security scheme,
/// the service's title and version.
/// </summary>
internal sealed class OpenApiPathsTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo { Title = "Dataset service", Version = Endpoints.HealthEndpoints.Version, Description = "ImagingRepo's implementation of the CHAIMELEON dataset service API v1." };
        document.Servers = [new OpenApiServer { Url = "/api" }];
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths)
        {
            paths[path.StartsWith("/api/", StringComparison.Ordinal) ? path[4..] : path] = item;
        }

        document.Paths = paths;
        return Task.CompletedTask;
    }
}
