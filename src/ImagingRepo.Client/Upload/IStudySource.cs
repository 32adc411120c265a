namespace ImagingRepo.Client.Upload;

/// <summary>
/// Where a <see cref="DatasetUploader"/> run gets each study's instances from (a PACS, a folder): the one step in which
/// the sources differ. Everything after it (de-identification, upload, journal, creation) is the uploader's, shared.
/// </summary>
internal interface IStudySource
{
    /// <summary>The stage reported while a study is made ready.</summary>
    DatasetUploadStage PreparingStage { get; }

    /// <summary>Makes a study's instances ready on disk, one study at a time.</summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="cancellationToken">Stops the preparation.</param>
    /// <returns>The inputs to de-identify; disposing it removes what the source made for the study.</returns>
    /// <exception cref="StudyUnavailableException">The study cannot be had; the run reports it as failed and goes on.</exception>
    Task<SourceStudy> PrepareAsync(string studyInstanceUid, CancellationToken cancellationToken);
}

/// <summary>A study's instances on disk, ready for de-identification.</summary>
/// <param name="inputs">The files and folders to de-identify.</param>
/// <param name="instances">How many instances they hold.</param>
/// <param name="temporaryFolder">A folder the source made for the study, deleted on disposal; null when the inputs are the caller's own files.</param>
internal sealed class SourceStudy(IReadOnlyList<string> inputs, int instances, string? temporaryFolder) : IDisposable
{
    /// <summary>The files and folders to de-identify.</summary>
    public IReadOnlyList<string> Inputs { get; } = inputs;

    /// <summary>How many instances they hold.</summary>
    public int Instances { get; } = instances;

    public void Dispose()
    {
        if (temporaryFolder is not null && Directory.Exists(temporaryFolder)) Directory.Delete(temporaryFolder, recursive: true);
    }
}

/// <summary>A source could not give a study; the message is the reason the report gives.</summary>
/// <param name="stage">The step that failed, for the log (e.g. <c>retrieve</c>).</param>
/// <param name="cause">A cause that names no patient or study (a status code, an exception type), for the log.</param>
/// <param name="message">The reason, for the report.</param>
/// <param name="innerException">The cause.</param>
internal sealed class StudyUnavailableException(string stage, string cause, string message, Exception? innerException)
    : Exception(message, innerException)
{
    /// <summary>The step that failed.</summary>
    public string Stage { get; } = stage;

    /// <summary>A cause that names no patient or study.</summary>
    public string Cause { get; } = cause;
}
