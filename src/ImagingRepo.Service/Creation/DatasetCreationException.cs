namespace ImagingRepo.Service.Creation;

/// <summary>
/// A dataset cannot be created as requested (studies missing from the lake, a malformed request, a layout conflict, an
/// unreadable series); the message says what and where, and becomes the operation's last message.
/// </summary>
public sealed class DatasetCreationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetCreationException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What and where.</param>
    public DatasetCreationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What and where.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetCreationException(string message, Exception innerException) : base(message, innerException) { }
}
