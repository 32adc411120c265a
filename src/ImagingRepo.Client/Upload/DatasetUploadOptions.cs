namespace ImagingRepo.Client.Upload;

/// <summary>Settings of <see cref="DatasetUploader"/>.</summary>
public sealed class DatasetUploadOptions
{
    /// <summary>Where a study from a PACS is retrieved to before de-identification (default: a folder under the temporary path); each study's files are deleted once it is uploaded. Unused for a folder, whose files are read where they lie.</summary>
    public string? WorkFolder { get; set; }

    /// <summary>Settings of the de-identify-and-upload stage.</summary>
    public DeidentifyingUploadOptions Deidentification { get; set; } = new();

    /// <summary>Release the dataset once created (default false: it stays a draft for the curator to check).</summary>
    public bool Release { get; set; }
}
