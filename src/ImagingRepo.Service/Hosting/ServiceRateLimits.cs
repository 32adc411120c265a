using System.Threading.RateLimiting;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace ImagingRepo.Service.Hosting;

/// <summary>Rate limits of the operations that read whole datasets (integrity checks, metadata, the federated search).</summary>
internal static class ServiceRateLimits
{
    public const string Expensive = "expensive";

    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = (context, cancellationToken) =>
        {
            var problems = context.HttpContext.RequestServices.GetService(typeof(IProblemDetailsService)) as IProblemDetailsService;
            return problems is null
                ? ValueTask.CompletedTask
                : problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Detail = "Too many expensive requests; try again in a minute." },
                });
        };
        // Per caller: a few at a time and a bounded number per minute, so one caller cannot keep the disks busy.
        options.AddPolicy(Expensive, context => RateLimitPartition.GetFixedWindowLimiter(
            context.PlatformUser().Uid ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }
}
