namespace ImagingRepo.Client.Storage;

/// <summary>Which data lake implementation to use.</summary>
public enum DataLakeKind
{
    /// <summary>A local (or mounted) folder: <see cref="LocalFolderDataLakeStorage"/>, the embedded default.</summary>
    LocalFolder,

    /// <summary>An S3 bucket: <see cref="S3DataLakeStorage"/>.</summary>
    S3,
}

/// <summary>The data lake settings (section <c>ImagingRepo:DataLake</c>).</summary>
public sealed class DataLakeOptions
{
    /// <summary>Which implementation (default <see cref="DataLakeKind.LocalFolder"/>).</summary>
    public DataLakeKind Kind { get; set; } = DataLakeKind.LocalFolder;

    /// <summary>The lake folder for <see cref="DataLakeKind.LocalFolder"/> (default <c>datalake</c> under the working folder).</summary>
    public string LocalPath { get; set; } = "datalake";

    /// <summary>The bucket and endpoint for <see cref="DataLakeKind.S3"/>.</summary>
    public S3DataLakeOptions S3 { get; set; } = new();
}
