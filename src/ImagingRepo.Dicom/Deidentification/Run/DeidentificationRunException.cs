namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>
/// A <see cref="DeidentificationRunOptions"/> that cannot run: an input that does not exist, a journal inside the output
/// tree, or an output or quarantine tree inside an input folder. Nothing was written.
/// </summary>
public sealed class DeidentificationRunException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public DeidentificationRunException()
    {
    }

    /// <summary>Creates an exception that says what is wrong.</summary>
    /// <param name="message">What is wrong, in words a user can act on.</param>
    public DeidentificationRunException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that says what is wrong and what caused it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DeidentificationRunException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
