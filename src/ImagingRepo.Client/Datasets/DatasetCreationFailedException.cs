namespace ImagingRepo.Client.Datasets;

/// <summary>A dataset's creation ended in error; <see cref="LastMessage"/> holds the service's last word on it.</summary>
public sealed class DatasetCreationFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DatasetCreationFailedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public DatasetCreationFailedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public DatasetCreationFailedException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a dataset.</summary>
    /// <param name="datasetId">The dataset.</param>
    /// <param name="lastMessage">The creation's last message.</param>
    public DatasetCreationFailedException(string datasetId, string? lastMessage)
        : base($"creation of dataset {datasetId} failed" + (lastMessage is null ? "" : $": {lastMessage}"))
    {
        DatasetId = datasetId;
        LastMessage = lastMessage;
    }

    /// <summary>The dataset.</summary>
    public string? DatasetId { get; }

    /// <summary>The creation's last message.</summary>
    public string? LastMessage { get; }
}
