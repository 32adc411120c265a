using System.Net;
using Microsoft.AspNetCore.Http;

namespace ImagingRepo.Service.Security;

/// <summary>In development mode, refuses every request that does not come from this machine.</summary>
internal sealed class LoopbackOnlyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        if (context.Connection.RemoteIpAddress is { } remote && IPAddress.IsLoopback(remote)) return next(context);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status403Forbidden, Detail = "The service runs in its insecure development mode and answers only local callers." },
        }).AsTask();
    }
}
