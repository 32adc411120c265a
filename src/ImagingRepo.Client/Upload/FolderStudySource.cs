namespace ImagingRepo.Client.Upload;

/// <summary>Studies from a folder: the files the scan found for each study, de-identified where they lie (nothing is copied).</summary>
/// <param name="scan">The folder's files grouped by study.</param>
internal sealed class FolderStudySource(DicomFolderScan scan) : IStudySource
{
    public DatasetUploadStage PreparingStage => DatasetUploadStage.Uploading;

    public Task<SourceStudy> PrepareAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        var files = scan.Studies[studyInstanceUid];
        return Task.FromResult(new SourceStudy(files, files.Count, null));
    }
}
