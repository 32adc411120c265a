namespace ImagingRepo.Service.Datasets;

/// <summary>
/// The superadmin's maintenance of created datasets, done by the creation pipeline (consumer's interface; the
/// pipeline in <c>Creation/</c> implements it): hash a dataset again and compare with its CREATE_DATASET trace, read
/// its metadata again, set its file permissions again.
/// </summary>
internal interface IDatasetMaintenance
{
    /// <summary>Checks a dataset's content against its recorded hashes; records the result on the dataset.</summary>
    Task<OperationResultWire> CheckIntegrityAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Reads the dataset's metadata from its files again.</summary>
    Task<OperationResultWire> RecollectMetadataAsync(string datasetId, CancellationToken cancellationToken);

    /// <summary>Sets the file permissions of the dataset's folders and studies again.</summary>
    Task ReadjustFilePermissionsAsync(string datasetId, CancellationToken cancellationToken);
}
