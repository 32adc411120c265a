using Microsoft.AspNetCore.Http;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// A request the service refuses, with the status and the sentence the problem details response (RFC 9457) carries.
/// Thrown by the services; <see cref="ProblemExceptionHandler"/> writes it. Nothing the services have changed in that
/// request's transaction is committed.
/// </summary>
internal sealed class ServiceProblemException : Exception
{
    public ServiceProblemException()
    {
    }

    public ServiceProblemException(string message) : base(message)
    {
        Status = StatusCodes.Status400BadRequest;
    }

    public ServiceProblemException(string message, Exception innerException) : base(message, innerException)
    {
        Status = StatusCodes.Status400BadRequest;
    }

    private ServiceProblemException(int status, string detail) : base(detail)
    {
        Status = status;
    }

    /// <summary>The HTTP status of the response.</summary>
    public int Status { get; }

    /// <summary>400: the request itself is wrong (a value, a length, a missing property).</summary>
    public static ServiceProblemException Invalid(string detail) => new(StatusCodes.Status400BadRequest, detail);

    /// <summary>401: the operation needs a signed-in user.</summary>
    public static ServiceProblemException Unauthenticated(string detail = "This operation needs an access token (Authorization: Bearer …).") =>
        new(StatusCodes.Status401Unauthorized, detail);

    /// <summary>403: the user is known but may not do this.</summary>
    public static ServiceProblemException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);

    /// <summary>404: no such thing, or one the user may not see.</summary>
    public static ServiceProblemException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    /// <summary>409: the request is valid but the target's current state does not allow it (an invalid transition).</summary>
    public static ServiceProblemException Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);

    /// <summary>413: the body is larger than the operation accepts.</summary>
    public static ServiceProblemException PayloadTooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, detail);

    /// <summary>422: well-formed JSON whose content cannot be processed (a malformed search tree).</summary>
    public static ServiceProblemException Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);

    /// <summary>502: a system the operation depends on (a persistent-identifier registry) failed; nothing was changed.</summary>
    public static ServiceProblemException BadGateway(string detail) => new(StatusCodes.Status502BadGateway, detail);
}
