using System.Threading.RateLimiting;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Hosting;

/// <summary>Rate limits of the operations that read whole datasets (integrity checks, metadata, the federated search).</summary>
internal static class ServiceRateLimits
{
    public const string Expensive = "expensive";

    /// <summary>The federated search: one caller (EUCAIM's hub) for many people, so its own, larger budget.</summary>
    public const string Search = "search";

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
        options.AddPolicy(Search, context => RateLimitPartition.GetFixedWindowLimiter(
            "search:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = context.RequestServices.GetRequiredService<IOptions<ServiceOptions>>().Value.SearchRequestsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
    }
}
