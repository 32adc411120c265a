using System.Net;

namespace ImagingRepo.Client.Http;

/// <summary>401: the request carried no valid token. Sign in again (or check the client's credentials).</summary>
public sealed class AuthenticationRequiredException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public AuthenticationRequiredException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public AuthenticationRequiredException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AuthenticationRequiredException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public AuthenticationRequiredException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}

/// <summary>403: the caller is known but may not do this. Ask for the role, project membership or ACL entry.</summary>
public sealed class AccessDeniedException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public AccessDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public AccessDeniedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public AccessDeniedException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public AccessDeniedException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}

/// <summary>404: no such dataset, project or user, or one the caller may not see.</summary>
public sealed class ResourceNotFoundException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public ResourceNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ResourceNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ResourceNotFoundException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public ResourceNotFoundException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}

/// <summary>409: the request is valid but the resource's current state does not allow it (an invalid lifecycle transition); reload it and decide again.</summary>
public sealed class StateConflictException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public StateConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public StateConflictException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public StateConflictException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public StateConflictException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}

/// <summary>400 or 422: the request itself is wrong (a value, a length, a missing property); the problem details say which.</summary>
public sealed class InvalidRequestException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public InvalidRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public InvalidRequestException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidRequestException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public InvalidRequestException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}

/// <summary>429, 503, 502, 504 or 408 after the retries: the service is overloaded or down; try again later.</summary>
public sealed class ServiceUnavailableException : ImagingRepoRequestException
{
    /// <summary>Creates the exception.</summary>
    public ServiceUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ServiceUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a response.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="problem">The server's problem details, or null.</param>
    /// <param name="operation">The request, as <c>METHOD path</c>.</param>
    public ServiceUnavailableException(string message, HttpStatusCode status, ApiProblem? problem, string? operation) : base(message, status, problem, operation)
    {
    }
}
