using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Licenses;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ImagingRepo.Service.Endpoints;

/// <summary><c>GET /api/licenses</c>.</summary>
internal static class LicensesEndpoints
{
    public static IEndpointRouteBuilder MapLicenses(this IEndpointRouteBuilder api)
    {
        api.MapGet("/licenses", (HttpContext context, LicenseService service) => service.ListAsync(context.RequestAborted))
            .WithTags("licenses").WithName("listLicenses").Produces<List<LicenseWire>>().Problems(401);
        return api;
    }
}
