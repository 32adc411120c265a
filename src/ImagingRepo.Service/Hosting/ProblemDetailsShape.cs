using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Every problem response carries RFC 9457's members plus the two the CHAIMELEON service's <c>ErrorResponse</c> has
/// (<c>error</c>, <c>status_code</c>), so clients written against either read it.
/// </summary>
internal static class ProblemDetailsShape
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Instance ??= context.HttpContext.Request.PathBase + context.HttpContext.Request.Path;
        problem.Detail ??= problem.Title;
        problem.Extensions["error"] = problem.Detail;
        problem.Extensions["status_code"] = problem.Status?.ToString(CultureInfo.InvariantCulture);
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
    }
}
