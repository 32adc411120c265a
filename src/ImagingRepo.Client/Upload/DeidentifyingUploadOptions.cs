using ImagingRepo.Dicom.Deidentification.Policy;

namespace ImagingRepo.Client.Upload;

/// <summary>Settings of <see cref="DeidentifyingUploader"/>.</summary>
public sealed class DeidentifyingUploadOptions
{
    /// <summary>Files de-identified per batch (default 200): the staging space and the overlap of the two stages.</summary>
    public int BatchFiles { get; set; } = 200;

    /// <summary>Where de-identified batches wait for their upload (default: a folder under the temporary path); emptied as batches are stored.</summary>
    public string? StagingFolder { get; set; }

    /// <summary>The de-identification policy, or null for the library's default (the Basic Profile with its options).</summary>
    public DeidentificationPolicy? Policy { get; set; }

    /// <summary>Threads that de-identify (default: the processor count).</summary>
    public int? MaxDegreeOfParallelism { get; set; }

    /// <summary>Objects sent at once (default 8).</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// Skip outputs the lake already holds with the same size and SHA-256 (default true), so that a rerun after an
    /// interruption does not send them again; false saves a listing per batch when the prefix is known to be new.
    /// </summary>
    public bool SkipStored { get; set; } = true;
}
