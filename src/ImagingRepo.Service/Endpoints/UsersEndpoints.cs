using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary><c>/api/users</c>, <c>/api/userRoles</c> and <c>/api/sites</c>.</summary>
internal static class UsersEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("users");

        users.MapGet("", (HttpContext context, UserService service, [FromQuery] bool? disabled, [FromQuery] string? searchString, [FromQuery] int? skip, [FromQuery] int? limit) =>
        {
            var (s, l) = Hosting.InputRules.Page(skip, limit);
            return service.SearchAsync(context.PlatformUser(), disabled, searchString, s, l, context.RequestAborted);
        }).WithName("listUsers").Produces<PageWire<UserListItemWire>>().Problems(400, 401, 403);

        users.MapPut("/{username}", async (HttpContext context, string username, [FromBody] UserBody body, UserService service) =>
        {
            await service.SaveAsync(context.PlatformUser(), username, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("createUser").Produces(StatusCodes.Status201Created).Problems(400, 401, 403, 409);

        users.MapGet("/{username}", async (HttpContext context, string username, UserService service, [FromQuery] string? scope) =>
        {
            if (scope is not (null or "" or "gid" or "all")) throw Hosting.ServiceProblemException.Invalid("'scope' must be gid or all.");
            var user = await service.GetAsync(context.PlatformUser(), username, context.RequestAborted).ConfigureAwait(false);
            return scope == "all"
                ? Results.Json(new UserDetailsWire(user.Uid, user.Username, user.Gid, user.Name, user.Email, user.Roles, user.Projects, user.SiteCode, []),
                    Hosting.ServiceJsonContext.Default.UserDetailsWire)
                : Results.Json(new UserGidWire(user.Gid), Hosting.ServiceJsonContext.Default.UserGidWire);
        }).WithName("getUser").Produces<UserDetailsWire>().Problems(400, 401, 403, 404);

        // No user management jobs run beside the embedded directory: the lists are empty, the logs absent.
        users.MapGet("/{username}/managementJobs", async (HttpContext context, string username, UserService service) =>
        {
            await service.GetAsync(context.PlatformUser(), username, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(new List<ManagementJobWire>(), Hosting.ServiceJsonContext.Default.ListManagementJobWire);
        }).WithName("listUserManagementJobs").Produces<List<ManagementJobWire>>().Problems(401, 403, 404);

        users.MapGet("/{username}/managementJobs/{uid}", async (HttpContext context, string username, string uid, UserService service) =>
        {
            await service.GetAsync(context.PlatformUser(), username, context.RequestAborted).ConfigureAwait(false);
            throw Hosting.ServiceProblemException.NotFound($"No management job '{uid}'.");
        }).WithName("getUserManagementJobLog").Produces<string>(StatusCodes.Status200OK, "text/plain").Problems(401, 403, 404);

        api.MapGet("/userRoles", (HttpContext context, UserService service) => service.Roles(context.PlatformUser()))
            .WithTags("users").WithName("listUserRoles").Produces<string[]>().Problems(401, 403);

        var sites = api.MapGroup("/sites").WithTags("sites");
        sites.MapGet("", async (HttpContext context, UserService service) =>
            (await service.SitesAsync(context.PlatformUser(), context.RequestAborted).ConfigureAwait(false)).Select(s => new SiteListItemWire(s.Code, s.Name)).ToList())
            .WithName("listSites").Produces<List<SiteListItemWire>>().Problems(401);

        sites.MapPut("/{code}", async (HttpContext context, string code, [FromBody] SiteBody body, UserService service) =>
        {
            await service.SaveSiteAsync(context.PlatformUser(), code, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithName("createSite").Produces(StatusCodes.Status201Created).Problems(400, 401, 403);

        sites.MapGet("/{code}", async (HttpContext context, string code, UserService service) =>
        {
            var s = await service.SiteAsync(context.PlatformUser(), code, context.RequestAborted).ConfigureAwait(false);
            return new SiteWire(s.Code, s.Name, s.Country, s.Url, s.ContactName, s.ContactEmail);
        }).WithName("getSite").Produces<SiteWire>().Problems(400, 401, 404);

        return api;
    }
}
