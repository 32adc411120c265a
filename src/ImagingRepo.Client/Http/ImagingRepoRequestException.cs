using System.Net;

namespace ImagingRepo.Client.Http;

/// <summary>
/// The service refused or failed a request. Subclasses tell how to react: <see cref="AuthenticationRequiredException"/>
/// (sign in), <see cref="AccessDeniedException"/> (ask for permission), <see cref="ResourceNotFoundException"/>,
/// <see cref="StateConflictException"/> (reload and decide again), <see cref="InvalidRequestException"/> (fix the
/// input), <see cref="ServiceUnavailableException"/> (try later). Each carries the status and the server's problem details.
/// </summary>
public class ImagingRepoRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ImagingRepoRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ImagingRepoRequestException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ImagingRepoRequestException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public ImagingRepoRequestException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message)
    {
        Status = status;
        Problem = problem;
        Operation = operation;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode Status { get; }

    /// <summary>The server's problem details, or null when the answer had none.</summary>
    public ApiProblem? Problem { get; }

    /// <summary>The request, as <c>METHOD path</c> (no query: it may hold search strings).</summary>
    public string? Operation { get; }

    /// <summary>Creates the exception type that fits <paramref name="status"/>.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public static ImagingRepoRequestException FromResponse(HttpStatusCode status, ApiProblem? problem, string operation)
    {
        var detail = problem?.Detail ?? problem?.Title;
        var message = $"{operation} answered {(int)status} {status}" + (detail is null ? "" : $": {detail}");
        return status switch
        {
            HttpStatusCode.Unauthorized => new AuthenticationRequiredException(message, status, problem, operation),
            HttpStatusCode.Forbidden => new AccessDeniedException(message, status, problem, operation),
            HttpStatusCode.NotFound or HttpStatusCode.Gone => new ResourceNotFoundException(message, status, problem, operation),
            HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed => new StateConflictException(message, status, problem, operation),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge
                => new InvalidRequestException(message, status, problem, operation),
            HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout
                or HttpStatusCode.RequestTimeout => new ServiceUnavailableException(message, status, problem, operation),
            _ => new ImagingRepoRequestException(message, status, problem, operation),
        };
    }
}
