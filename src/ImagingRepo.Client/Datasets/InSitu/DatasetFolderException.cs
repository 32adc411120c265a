namespace ImagingRepo.Client.Datasets.InSitu;

/// <summary>A mounted dataset folder cannot be read: a file is missing or malformed; the message says which and where.</summary>
public sealed class DatasetFolderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetFolderException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What and where.</param>
    public DatasetFolderException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What and where.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetFolderException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
