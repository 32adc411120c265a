using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary><c>GET /api/datasets/{id}/studies</c>, paged.</summary>
internal static class StudiesEndpoints
{
    public static IEndpointRouteBuilder MapStudies(this IEndpointRouteBuilder api)
    {
        api.MapGet("/datasets/{id}/studies", (HttpContext context, string id, DatasetService service, [FromQuery] int? skip, [FromQuery] int? limit) =>
        {
            // The Dataset Explorer 1.6 sends the older studiesSkip/studiesLimit, which the current CHAIMELEON service ignores
            // (so its pages never move); both spellings are read here, the spec's winning when both are given.
            var (s, l) = InputRules.Page(skip ?? QueryInt(context, "studiesSkip"), limit ?? QueryInt(context, "studiesLimit"));
            return service.StudiesAsync(context.PlatformUser(), id, s, l, context.RequestAborted);
        }).WithTags("datasets").WithName("getDatasetStudies").Produces<PageWire<StudyWire>>().Problems(400, 401, 404);
        return api;
    }

    private static int? QueryInt(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        if (text.Length == 0) return null;
        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : throw ServiceProblemException.Invalid($"'{name}' must be a whole number.");
    }
}
