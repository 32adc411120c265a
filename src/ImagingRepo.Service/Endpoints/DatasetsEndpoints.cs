using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary>
/// <c>/api/datasets</c> and <c>/api/upgradableDatasets</c>: create, list, read, change, delete, and the superadmin's
/// maintenance operations, including the live routes the v1 spec leaves out.
/// </summary>
internal static class DatasetsEndpoints
{
    public static IEndpointRouteBuilder MapDatasets(this IEndpointRouteBuilder api)
    {
        var datasets = api.MapGroup("/datasets").WithTags("datasets");

        datasets.MapPost("", async (HttpContext context, [FromBody] DatasetCreationBody body, DatasetService service, Microsoft.Extensions.Options.IOptions<ServiceOptions> options) =>
        {
            var id = await service.CreateAsync(context.PlatformUser(), body, context.RequestAborted).ConfigureAwait(false);
            var apiUrl = $"{context.Request.PathBase}/api/datasets/{id}";
            var link = string.Format(System.Globalization.CultureInfo.InvariantCulture, options.Value.DatasetLinkFormat, id);
            if (link.StartsWith('/')) link = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{link}";
            return Results.Created(apiUrl, new DatasetCreatedResponse(link, apiUrl));
        }).WithName("createDataset").Produces<DatasetCreatedResponse>(StatusCodes.Status201Created).Problems(400, 401, 403);

        datasets.MapGet("", (HttpContext context, DatasetService service,
            [FromQuery] bool? draft, [FromQuery(Name = "public")] bool? isPublic, [FromQuery] bool? invalidated, [FromQuery] string[]? tag,
            [FromQuery] string? project, [FromQuery] string? searchString, [FromQuery] string? searchSubject, [FromQuery] string? onlyLastVersions,
            [FromQuery] int? skip, [FromQuery] int? limit, [FromQuery] string? sortBy, [FromQuery] string? sortDirection) =>
        {
            var (s, l) = InputRules.Page(skip, limit);
            // 'tags' is what the live CHAIMELEON service reads; the spec says 'tag'. Both are taken.
            var tags = InputRules.Tags((tag ?? []).Concat(context.Request.Query["tags"]), "tag");
            var sortKey = sortBy switch
            {
                null or "" or "creationDate" => DatasetSortKey.CreationDate,
                "name" => DatasetSortKey.Name,
                "authorName" => DatasetSortKey.AuthorName,
                "studiesCount" => DatasetSortKey.StudiesCount,
                "subjectsCount" => DatasetSortKey.SubjectsCount,
                "timesUsed" => DatasetSortKey.TimesUsed,
                _ => throw ServiceProblemException.Invalid("'sortBy' must be one of name, authorName, creationDate, studiesCount, subjectsCount, timesUsed."),
            };
            var descending = sortDirection switch
            {
                null or "" => sortKey == DatasetSortKey.CreationDate,
                "ascending" => false,
                "descending" => true,
                _ => throw ServiceProblemException.Invalid("'sortDirection' must be ascending or descending."),
            };
            var search = new DatasetSearch
            {
                Draft = draft,
                Public = isPublic,
                Invalidated = invalidated,
                Tags = tags,
                Project = project is { Length: > 0 } ? InputRules.Code(project, "project") : null,
                SearchString = InputRules.Optional(searchString?.Trim(), "searchString", 256),
                SearchSubject = InputRules.Optional(searchSubject?.Trim(), "searchSubject", 128),
                OnlyLastVersions = EndpointSupport.Flag(onlyLastVersions, "onlyLastVersions") ?? false,
                SortBy = sortKey,
                Descending = descending,
                Skip = s,
                Limit = l,
                Visibility = DatasetVisibility.All, // narrowed to the caller's by the service
            };
            return service.SearchAsync(context.PlatformUser(), search, context.RequestAborted);
        }).WithName("listDatasets").Produces<DatasetListWire>().Problems(400, 401);

        datasets.MapGet("/{id}", async (HttpContext context, string id, DatasetService service) =>
            EndpointSupport.JsonWithETag(context, await service.GetAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false),
                ServiceJsonContext.Default.DatasetDetailsWire))
            .WithName("getDataset").Produces<DatasetDetailsWire>().Problems(401, 404).WithDcatNegotiation();

        datasets.MapPatch("/{id}", async (HttpContext context, string id, [FromBody] PropertyPatchBody body, DatasetPatchService service) =>
        {
            await service.PatchAsync(context.PlatformUser(), id, body, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).WithName("modifyDataset").Produces(StatusCodes.Status204NoContent).Problems(400, 401, 403, 404, 409);

        datasets.MapDelete("/{id}", async (HttpContext context, string id, DatasetService service) =>
        {
            await service.DeleteAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return Results.NoContent();
        }).WithName("deleteDataset").Produces(StatusCodes.Status204NoContent).Problems(400, 401, 403, 404, 409);

        datasets.MapGet("/{id}/creationStatus", (HttpContext context, string id, DatasetService service) =>
            service.CreationStatusAsync(context.PlatformUser(), id, context.RequestAborted))
            .WithName("getDatasetCreationStatus").Produces<CreationStatusWire>().Problems(401, 404);

        datasets.MapPost("/{id}/checkIntegrity", (HttpContext context, string id, DatasetMaintenanceService service) =>
            service.CheckIntegrityAsync(context.PlatformUser(), id, context.RequestAborted))
            .WithName("checkDatasetIntegrity").Produces<OperationResultWire>().Problems(401, 403, 404).RequireRateLimiting(ServiceRateLimits.Expensive);

        datasets.MapPost("/checkIntegrity", (HttpContext context, DatasetMaintenanceService service) =>
            service.CheckAllAsync(context.PlatformUser(), context.RequestAborted))
            .WithName("checkAllDatasetsIntegrity").Produces<List<DatasetOperationResultWire>>().Problems(401, 403).RequireRateLimiting(ServiceRateLimits.Expensive);

        datasets.MapPost("/{id}/restartCreation", RestartCreation).WithName("relaunchDatasetCreationJob").Produces(StatusCodes.Status204NoContent).Problems(400, 401, 403, 404, 409);
        // The live CHAIMELEON service's name for the same operation.
        datasets.MapPost("/{id}/relaunchCreationJob", RestartCreation).ExcludeFromDescription();

        datasets.MapPost("/{id}/readjustFilePermissions", ReadjustFilePermissions).WithName("readjustFilePermissions").Produces(StatusCodes.Status204NoContent).Problems(401, 403, 404);
        datasets.MapPost("/{id}/adjustFilePermissionsInDatalake", ReadjustFilePermissions).ExcludeFromDescription();

        // 204 as the spec says when it was done; when it could not be done, 200 with {success: false, msg} as the live
        // CHAIMELEON service answers (the Client reads both).
        datasets.MapPost("/{id}/recollectMetadata", async (HttpContext context, string id, DatasetMaintenanceService service) =>
        {
            var result = await service.RecollectMetadataAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
            return result.Success ? Results.NoContent() : Results.Json(result, ServiceJsonContext.Default.OperationResultWire);
        }).WithName("recollectMetadataForDataset").Produces(StatusCodes.Status204NoContent).Produces<OperationResultWire>()
            .Problems(401, 403, 404).RequireRateLimiting(ServiceRateLimits.Expensive);

        datasets.MapPost("/recollectMetadata", (HttpContext context, DatasetMaintenanceService service) =>
            service.RecollectAllAsync(context.PlatformUser(), context.RequestAborted))
            .WithName("recollectMetadataForAllDatasets").Produces<List<DatasetOperationResultWire>>().Problems(401, 403).RequireRateLimiting(ServiceRateLimits.Expensive);

        api.MapGet("/upgradableDatasets", (HttpContext context, DatasetService service, [FromQuery] string? project) =>
            service.UpgradableAsync(context.PlatformUser(), project is { Length: > 0 } ? InputRules.Code(project, "project") : null, context.RequestAborted))
            .WithTags("datasets").WithName("listUpgradableDatasets").Produces<List<UpgradableDatasetWire>>().Problems(401, 403);

        return api;
    }

    private static async Task<IResult> RestartCreation(HttpContext context, string id, DatasetMaintenanceService service)
    {
        await service.RestartCreationAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> ReadjustFilePermissions(HttpContext context, string id, DatasetMaintenanceService service)
    {
        await service.ReadjustFilePermissionsAsync(context.PlatformUser(), id, context.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }
}
