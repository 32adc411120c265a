using System.Net;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// A token could not be acquired: the identity provider refused the request (<see cref="Error"/> holds its OAuth error
/// code), could not be reached, or the mounted token file is missing. Never carries a secret or a token.
/// </summary>
public class SignInException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SignInException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong and where.</param>
    public SignInException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The cause.</param>
    public SignInException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an OAuth error answer.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="error">The OAuth error code (<c>invalid_client</c>, <c>access_denied</c>, …).</param>
    /// <param name="errorDescription">The provider's description of the error.</param>
    /// <param name="statusCode">The HTTP status of the answer, or null when none came.</param>
    public SignInException(string message, string? error, string? errorDescription, HttpStatusCode? statusCode) : base(message)
    {
        Error = error;
        ErrorDescription = errorDescription;
        StatusCode = statusCode;
    }

    /// <summary>The OAuth error code (<c>invalid_client</c>, <c>invalid_grant</c>, <c>access_denied</c>, …), or null.</summary>
    public string? Error { get; }

    /// <summary>The identity provider's description of the error, or null.</summary>
    public string? ErrorDescription { get; }

    /// <summary>The HTTP status of the identity provider's answer, or null when there was none.</summary>
    public HttpStatusCode? StatusCode { get; }
}

/// <summary>
/// A person must sign in (again): nothing is stored, or the stored refresh token was refused. Interactive callers
/// react by running the device-code sign-in (<c>imagingrepo login</c>).
/// </summary>
public sealed class SignInRequiredException : SignInException
{
    /// <summary>Creates the exception.</summary>
    public SignInRequiredException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why a sign-in is needed.</param>
    public SignInRequiredException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">Why a sign-in is needed.</param>
    /// <param name="innerException">The cause.</param>
    public SignInRequiredException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
