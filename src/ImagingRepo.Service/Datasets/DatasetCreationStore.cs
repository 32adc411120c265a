using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Traces;

namespace ImagingRepo.Service.Datasets;

/// <summary>The service's side of dataset creation (<see cref="IDatasetCreationStore"/>), on the metadata database.</summary>
internal sealed class DatasetCreationStore(
    Database database,
    DatasetRepository datasets,
    StudyRepository studies,
    CreationStatusRepository creationStatus,
    DatasetTraceRecorder traces,
    TimeProvider time) : IDatasetCreationStore
{
    public Task<DatasetCreationInput?> GetInputAsync(string datasetId, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var dataset = await datasets.GetAsync(session, datasetId, false, cancellationToken).ConfigureAwait(false);
            if (dataset is null) return null;
            var studyList = await studies.AllAsync(session, datasetId, cancellationToken).ConfigureAwait(false);
            var subjects = await studies.SubjectsAsync(session, datasetId, cancellationToken).ConfigureAwait(false);
            return new DatasetCreationInput(dataset, studyList, subjects);
        }, cancellationToken);

    public Task SetStatusAsync(string datasetId, DatasetCreationStatus status, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            // A dataset deleted meanwhile keeps no status, nor does one created already (a late progress message).
            if (await datasets.GetAsync(session, datasetId, true, cancellationToken).ConfigureAwait(false) is not { Creating: true }) return;
            await creationStatus.SetAsync(session, datasetId, status, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> CompleteAsync(string datasetId, DatasetCreationResult result, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            var dataset = await datasets.GetAsync(session, datasetId, true, cancellationToken).ConfigureAwait(false);
            if (dataset is null) return false;
            if (!dataset.Creating) return true; // completed before a crash: the resumed run changes nothing
            await studies.ReplaceAsync(session, datasetId, result.Studies, cancellationToken).ConfigureAwait(false);
            dataset.StudiesCount = result.Studies.Count;
            dataset.SubjectsCount = result.SubjectsCount;
            dataset.SizeInBytes = result.SizeInBytes;
            dataset.Metadata = result.Metadata?.ToJson();
            dataset.Creating = false;
            await datasets.UpdateAsync(session, dataset, cancellationToken).ConfigureAwait(false);
            await creationStatus.RemoveAsync(session, datasetId, cancellationToken).ConfigureAwait(false);
            if (!result.TraceRecorded)
            {
                await traces.RecordCreateAsync(session, datasetId, dataset.AuthorId, result.ContentHashes, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
}
