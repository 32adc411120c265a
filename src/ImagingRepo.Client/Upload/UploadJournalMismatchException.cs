namespace ImagingRepo.Client.Upload;

/// <summary>
/// The journal given to a <see cref="DatasetUploader"/> run was written by a run to another lake key prefix: its studies
/// are not where this run would put them. Give this run a journal of its own (or the prefix of the run that wrote it).
/// </summary>
public sealed class UploadJournalMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public UploadJournalMismatchException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What does not match.</param>
    public UploadJournalMismatchException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What does not match.</param>
    /// <param name="innerException">The cause.</param>
    public UploadJournalMismatchException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>The journal file.</summary>
    public string? JournalPath { get; init; }
}
