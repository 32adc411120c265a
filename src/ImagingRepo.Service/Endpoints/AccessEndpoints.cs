using ImagingRepo.Service.Access;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary>Dataset ACLs, access history, the access check and the access records.</summary>
internal static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder api)
    {
        api.MapGet("/datasets/{id}/acl", (HttpContext context, string id, AccessService service) =>
            service.AclAsync(context.PlatformUser(), id, context.RequestAborted))
            .WithTags("datasets").WithName("getDatasetACL").Produces<List<AclEntryWire>>().Problems(401, 403, 404);

        api.MapPut("/datasets/{id}/acl/{username}", async (HttpContext context, string id, string username, AccessService service) =>
        {
            await service.AddToAclAsync(context.PlatformUser(), id, username, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithTags("datasets").WithName("putUserToDatasetACL").Produces(StatusCodes.Status201Created).Problems(401, 403, 404);

        api.MapDelete("/datasets/{id}/acl/{username}", async (HttpContext context, string id, string username, AccessService service) =>
        {
            await service.RemoveFromAclAsync(context.PlatformUser(), id, username, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).WithTags("datasets").WithName("deleteUserFromDatasetACL").Produces(StatusCodes.Status204NoContent).Problems(401, 403, 404);

        api.MapGet("/datasets/{id}/accessHistory", (HttpContext context, string id, AccessService service, [FromQuery] int? skip, [FromQuery] int? limit) =>
        {
            var (s, l) = InputRules.Page(skip, limit);
            return service.HistoryAsync(context.PlatformUser(), id, s, l, context.RequestAborted);
        }).WithTags("datasets").WithName("getDatasetAccessHistory").Produces<PageWire<DatasetAccessWire>>().Problems(400, 401, 403, 404);

        api.MapPost("/datasetAccessCheck", async (HttpContext context, [FromBody] AccessCheckBody body, AccessService service) =>
        {
            var denied = await service.CheckAsync(context.PlatformUser(), body, context.RequestAborted).ConfigureAwait(false);
            // The Kubernetes operator reads the denied ids as a bare array, as CHAIMELEON answers.
            return denied.Count == 0 ? Results.NoContent() : Results.Json(denied, ServiceJsonContext.Default.IReadOnlyListString, statusCode: StatusCodes.Status403Forbidden);
        }).WithTags("datasetAccesses").WithName("checkDatasetAccess").Produces(StatusCodes.Status204NoContent)
            .Produces<string[]>(StatusCodes.Status403Forbidden).Problems(400, 401);

        api.MapPost("/datasetAccess/{id}", async (HttpContext context, string id, [FromBody] DatasetAccessBody body, AccessService service) =>
        {
            await service.OpenAsync(context.PlatformUser(), id, body, context.RequestAborted).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status201Created);
        }).WithTags("datasetAccesses").WithName("createDatasetAccess").Produces(StatusCodes.Status201Created).Problems(400, 401, 403, 409);

        api.MapPatch("/datasetAccess/{id}", async (HttpContext context, string id, [FromBody] DatasetAccessEndBody body, AccessService service) =>
        {
            await service.CloseAsync(context.PlatformUser(), id, body, context.RequestAborted).ConfigureAwait(false);
            return Results.Ok();
        }).WithTags("datasetAccesses").WithName("closeDatasetAccess").Produces(StatusCodes.Status200OK).Problems(400, 401, 403, 404);

        return api;
    }
}
