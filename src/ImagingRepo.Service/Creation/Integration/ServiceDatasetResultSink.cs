using System.Text.Json;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Service.Datasets;
using PipelineResult = ImagingRepo.Service.Creation.DatasetCreationResult;
using ServiceCreationStore = ImagingRepo.Service.Datasets.IDatasetCreationStore;
using ServiceMetadata = ImagingRepo.Service.Datasets.DatasetMetadata;
using ServiceResult = ImagingRepo.Service.Datasets.DatasetCreationResult;

namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// Stores a finished creation on the service's dataset: the studies kept with their hashes, sizes and facts, the counts
/// and the MIABIS aggregates, and the end of <c>creating</c>, in one transaction. The CREATE_DATASET trace is not
/// recorded here: the pipeline recorded it before (with the id its operation keeps), so a resumed run cannot double it.
/// </summary>
internal sealed class ServiceDatasetResultSink(ServiceCreationStore datasets) : IDatasetCreationResultSink
{
    public async Task ApplyAsync(PipelineResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        var input = await datasets.GetInputAsync(result.DatasetId, cancellationToken).ConfigureAwait(false);
        if (input is null) return; // deleted meanwhile: nothing to store
        await datasets.CompleteAsync(result.DatasetId, ToServiceResult(result, input), cancellationToken).ConfigureAwait(false);
    }

    internal static ServiceResult ToServiceResult(PipelineResult result, DatasetCreationInput input)
    {
        var requested = new Dictionary<string, StudyRecord>(StringComparer.Ordinal);
        foreach (var study in input.Studies) requested.TryAdd(study.StudyId, study);
        var studies = result.Studies.Select(s =>
        {
            var asked = requested[s.StudyId];
            return asked with
            {
                Series = [.. s.Series.Select(r => new SeriesEntry(r.FolderName, r.Tags))],
                SizeInBytes = s.SizeInBytes,
                Hash = s.Hash,
                Metadata = JsonSerializer.Serialize(s.Metadata, CreationJsonContext.Default.StudyMetadata),
            };
        }).ToList();
        return new ServiceResult(studies, result.Metadata.SubjectsCount, result.Metadata.SizeInBytes, ToServiceMetadata(result.Metadata),
        [
            new DatasetContentHash(DatasetCreationRunner.IndexResource, result.IndexHash),
            new DatasetContentHash(DatasetCreationRunner.ImagesResource, result.ImagesHash),
            new DatasetContentHash(DatasetCreationRunner.ClinicalDataResource, result.ClinicalDataHash),
        ])
        {
            TraceRecorded = true,
        };
    }

    /// <summary>The aggregates in the shape of the v1 API's <c>DatasetDetails</c> (value lists beside count lists).</summary>
    internal static ServiceMetadata ToServiceMetadata(Metadata.DatasetMetadata m) => new()
    {
        AgeLow = m.AgeLow?.Value,
        AgeHigh = m.AgeHigh?.Value,
        AgeUnit = m.AgeLow is { } low && m.AgeHigh is { } high ? [low.MiabisUnit, high.MiabisUnit] : [],
        AgeNullCount = m.AgeNullCount,
        Sex = Values(m.Sex),
        SexCount = Counts(m.Sex),
        Diagnosis = Values(m.Diagnosis),
        DiagnosisCount = Counts(m.Diagnosis),
        BodyPart = Values(m.BodyPart),
        BodyPartCount = Counts(m.BodyPart),
        Modality = Values(m.Modality),
        ModalityCount = Counts(m.Modality),
        Manufacturer = Values(m.Manufacturer),
        ManufacturerCount = Counts(m.Manufacturer),
        DiagnosisYearLow = m.DiagnosisYearLow,
        DiagnosisYearHigh = m.DiagnosisYearHigh,
        DiagnosisYearNullCount = m.DiagnosisYearNullCount,
        SeriesTags = m.SeriesTags,
    };

    private static string[] Values(IReadOnlyList<ValueCount> list) => [.. list.Select(v => v.Value)];

    private static int[] Counts(IReadOnlyList<ValueCount> list) => [.. list.Select(v => v.Count)];
}
