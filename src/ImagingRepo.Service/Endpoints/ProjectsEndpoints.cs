using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Projects;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary><c>/api/projects</c>: projects, their settings, logos and subprojects.</summary>
internal static class ProjectsEndpoints
{
    public static IEndpointRouteBuilder MapProjects(this IEndpointRouteBuilder api)
    {
        var projects = api.MapGroup("/projects").WithTags("projects");

        projects.MapGet("", async (HttpContext context, ProjectService service, [FromQuery] string? purpose) =>
        {
            var result = await service.ListAsync(context.PlatformUser(), purpose, context.RequestAborted).ConfigureAwait(false);
            return result is ProjectListWire list
                ? Results.Json(list, Hosting.ServiceJsonContext.Default.ProjectListWire)
                : Results.Json((string[])result, Hosting.ServiceJsonContext.Default.StringArray);
        }).WithName("listProjects").Produces<ProjectListWire>().Problems(400, 401);

        projects.MapPut("/{code}", async (HttpContext context, string code, [FromBody] ProjectBody body, ProjectService service) =>
        {
            await service.SaveAsync(context.PlatformUser(), code, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("createProject").Produces(StatusCodes.Status201Created).Problems(400, 401, 403);

        projects.MapGet("/{code}", (HttpContext context, string code, ProjectService service) =>
            service.GetAsync(context.PlatformUser(), code, context.RequestAborted))
            .WithName("getProject").Produces<ProjectDetailsWire>().Problems(401, 404);

        projects.MapPatch("/{code}", async (HttpContext context, string code, [FromBody] PropertyPatchBody body, ProjectService service) =>
        {
            await service.PatchAsync(context.PlatformUser(), code, body, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).WithName("modifyProject").Produces(StatusCodes.Status204NoContent).Problems(400, 401, 403, 404);

        projects.MapDelete("/{code}", async (HttpContext context, string code, ProjectService service) =>
        {
            await service.DeleteAsync(context.PlatformUser(), code, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).WithName("deleteProject").Produces(StatusCodes.Status204NoContent).Problems(400, 401, 403, 404, 409);

        projects.MapPut("/{code}/logo", async (HttpContext context, string code, ProjectLogoStore logos) =>
        {
            await logos.SaveAsync(context.PlatformUser(), code, context.Request, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("putProjectLogo").Accepts<ProjectLogoForm>("multipart/form-data").DisableAntiforgery()
            .Produces(StatusCodes.Status201Created).Problems(400, 401, 403, 404);

        projects.MapPut("/{code}/config", async (HttpContext context, string code, [FromBody] ProjectConfigBody body, ProjectService service) =>
        {
            await service.SaveConfigAsync(context.PlatformUser(), code, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("setProjectConfig").Produces(StatusCodes.Status201Created).Problems(400, 401, 403, 404);

        projects.MapGet("/{code}/config", (HttpContext context, string code, ProjectService service) =>
            service.ConfigAsync(context.PlatformUser(), code, context.RequestAborted))
            .WithName("getProjectConfig").Produces<ProjectConfigWire>().Problems(401, 403, 404);

        projects.MapGet("/{code}/subprojects", (HttpContext context, string code, ProjectService service) =>
            service.SubprojectsAsync(context.PlatformUser(), code, context.RequestAborted))
            .WithName("listSubprojects").Produces<SubprojectListWire>().Problems(401, 404);

        projects.MapPut("/{code}/subprojects/{subcode}", async (HttpContext context, string code, string subcode, [FromBody] SubprojectBody body, ProjectService service) =>
        {
            await service.SaveSubprojectAsync(context.PlatformUser(), code, subcode, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("putSubproject").Produces(StatusCodes.Status201Created).Problems(400, 401, 403, 404);

        return api;
    }
}
