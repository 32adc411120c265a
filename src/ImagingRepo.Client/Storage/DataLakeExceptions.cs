namespace ImagingRepo.Client.Storage;

/// <summary>A data lake operation failed; <see cref="Key"/> says on which object.</summary>
public class DataLakeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataLakeException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public DataLakeException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public DataLakeException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an object.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, or null.</param>
    public DataLakeException(string key, string message, Exception? innerException) : base(message, innerException) => Key = key;

    /// <summary>The object key, or null when the failure concerns no single object.</summary>
    public string? Key { get; }
}

/// <summary>No object has the key.</summary>
public sealed class DataLakeObjectNotFoundException : DataLakeException
{
    /// <summary>Creates the exception.</summary>
    public DataLakeObjectNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was not found.</param>
    public DataLakeObjectNotFoundException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What was not found.</param>
    /// <param name="innerException">The cause.</param>
    public DataLakeObjectNotFoundException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    private DataLakeObjectNotFoundException(string key, string message, Exception? innerException) : base(key, message, innerException)
    {
    }

    internal static DataLakeObjectNotFoundException ForKey(string key, Exception? innerException) =>
        new(key, $"data lake object not found: {key}", innerException);
}

/// <summary>An object's content does not match the SHA-256 recorded when it was stored: it was corrupted or replaced.</summary>
public sealed class DataLakeIntegrityException : DataLakeException
{
    /// <summary>Creates the exception.</summary>
    public DataLakeIntegrityException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What does not match.</param>
    public DataLakeIntegrityException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What does not match.</param>
    /// <param name="innerException">The cause.</param>
    public DataLakeIntegrityException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an object.</summary>
    /// <param name="key">The object key.</param>
    /// <param name="expectedSha256">The recorded SHA-256, or null when none was recorded.</param>
    /// <param name="actualSha256">The SHA-256 of the content read.</param>
    public DataLakeIntegrityException(string key, string? expectedSha256, string actualSha256)
        : base(key, expectedSha256 is null
            ? $"data lake object {key} has no recorded SHA-256 to check its content against"
            : $"data lake object {key} is corrupt: its content hashes to {actualSha256}, {expectedSha256} was recorded", null)
    {
        ExpectedSha256 = expectedSha256;
        ActualSha256 = actualSha256;
    }

    /// <summary>The SHA-256 recorded when the object was stored (lower-case hex), or null when none was.</summary>
    public string? ExpectedSha256 { get; }

    /// <summary>The SHA-256 of the content read (lower-case hex).</summary>
    public string? ActualSha256 { get; }
}
