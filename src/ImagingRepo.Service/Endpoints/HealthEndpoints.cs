using System.Reflection;
using ImagingRepo.Service.Projects;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary>Liveness, readiness, version, the index of sections, and the stored project logos.</summary>
internal static class HealthEndpoints
{
    public static string Version { get; } =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Routes outside <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapRootHealth(this IEndpointRouteBuilder root)
    {
        root.MapGet("/health", () => Results.Text("ok")).ExcludeFromDescription();
        root.MapGet("/healthz", () => Results.Text("ok")).ExcludeFromDescription();
        root.MapGet("/ready", async (Database database, CancellationToken cancellationToken) =>
        {
            // Ready when the metadata database answers.
            await database.ReadAsync(s => s.ScalarAsync("SELECT 1", cancellationToken), cancellationToken).ConfigureAwait(false);
            return Results.Text("ready");
        }).ExcludeFromDescription();
        root.MapGet("/project-logos/{file}", (string file, ProjectLogoStore logos) =>
            logos.Find(file) is { } path
                ? Results.File(path, file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg")
                : Results.NotFound()).ExcludeFromDescription();
        return root;
    }

    /// <summary>Routes inside <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder api)
    {
        api.MapGet("/", () => Results.Text($"ImagingRepo dataset service {Version}")).ExcludeFromDescription();
        api.MapGet("/version", () => Results.Text(Version)).WithTags("general").WithName("getVersion").Produces<string>(200, "text/plain");
        api.MapGet("/health", () => Results.Text("ok")).WithTags("general").WithName("getHealth").Produces<string>(200, "text/plain");
        api.MapGet("/index", (HttpContext context) =>
        {
            var user = context.PlatformUser();
            var sections = new List<string> { "datasets", "projects", "licenses" };
            if (user.CanAdminUsers) sections.AddRange(["users", "sites"]);
            if (user.CanAdminDatasetAccess) sections.Add("datasetAccess");
            return sections.ToArray();
        }).WithTags("general").WithName("listMainIndex").Produces<string[]>();
        return api;
    }
}
