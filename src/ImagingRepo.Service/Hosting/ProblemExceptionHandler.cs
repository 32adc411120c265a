using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// Turns exceptions into problem details: a <see cref="ServiceProblemException"/> with its status, a request the
/// framework could not bind (malformed JSON, an unknown property, a query value of the wrong type) as 400 with the
/// parser's reason, a failure of the identity directory as 502, anything else as a 500 that tells nothing about the inside (and is logged).
/// </summary>
internal sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            ServiceProblemException p => (p.Status, p.Message),
            BadHttpRequestException b => (b.StatusCode, Describe(b)),
            JsonException j => (StatusCodes.Status400BadRequest, "The request body is not valid: " + j.Message),
            Users.IdentityDirectoryException => (StatusCodes.Status502BadGateway, "The identity directory (Keycloak) failed; the service log has the details."),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected error; the service log has the details."),
        };
        if (status >= 500) LogUnexpected(exception, httpContext.Request.Method, httpContext.Request.Path);
        if (httpContext.Response.HasStarted) return false;
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) httpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        }).ConfigureAwait(false);
    }

    /// <summary>The binder's message, with the JSON reader's reason (line and path) when that is the cause.</summary>
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is JsonException json
            ? $"The request body is not valid JSON for this operation: {json.Message}"
            : exception.Message;

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path}")]
    private partial void LogUnexpected(Exception exception, string method, string path);
}
