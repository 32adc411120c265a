using ImagingRepo.Client.DicomWeb;
using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.Upload;

/// <summary>Studies from a PACS: each is retrieved through WADO-RS to a work folder (streamed, instance by instance), deleted once uploaded.</summary>
/// <param name="pacs">The PACS.</param>
/// <param name="workFolder">Where a study is retrieved to.</param>
internal sealed class DicomWebStudySource(DicomWebClient pacs, string workFolder) : IStudySource
{
    public DatasetUploadStage PreparingStage => DatasetUploadStage.Retrieving;

    public async Task<SourceStudy> PrepareAsync(string studyInstanceUid, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(workFolder, "study");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        try
        {
            var retrieved = await pacs.RetrieveStudyAsync(studyInstanceUid, folder, null, cancellationToken).ConfigureAwait(false);
            return new SourceStudy([folder], retrieved.Files.Count, folder);
        }
        catch (Exception e)
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            if (e is ImagingRepoRequestException request)
            {
                throw new StudyUnavailableException("retrieve", request.Status != 0 ? $"status {(int)request.Status}" : e.GetType().Name,
                    "retrieve: " + e.Message, e);
            }

            throw;
        }
    }
}
