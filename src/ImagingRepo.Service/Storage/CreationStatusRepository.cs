using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Storage;

/// <summary>The creation status of datasets being created (<c>creation_status</c>): the row goes once creation has finished.</summary>
internal sealed class CreationStatusRepository
{
    public Task<DatasetCreationStatus?> GetAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.QuerySingleAsync("SELECT status, last_message FROM creation_status WHERE dataset_id = @dataset",
            r => new DatasetCreationStatus(DatasetCreationStates.Parse(r.GetString(0)), r.GetString(1)), cancellationToken, ("@dataset", datasetId));

    public Task<int> SetAsync(DbSession session, string datasetId, DatasetCreationStatus status, DateTimeOffset at, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "INSERT INTO creation_status (dataset_id, status, last_message, updated_at) VALUES (@dataset, @status, @message, @at) " +
            "ON CONFLICT (dataset_id) DO UPDATE SET status = excluded.status, last_message = excluded.last_message, updated_at = excluded.updated_at",
            cancellationToken, ("@dataset", datasetId), ("@status", DatasetCreationStates.Name(status.State)),
            ("@message", status.LastMessage.Length > 512 ? status.LastMessage[..512] : status.LastMessage), ("@at", at.ToUnixTimeMilliseconds()));

    /// <summary>The datasets whose creation waits to start, oldest first.</summary>
    public Task<List<string>> PendingAsync(DbSession session, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT dataset_id FROM creation_status WHERE status = 'pending' ORDER BY updated_at, dataset_id",
            r => r.GetString(0), cancellationToken);

    public Task<int> RemoveAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM creation_status WHERE dataset_id = @dataset", cancellationToken, ("@dataset", datasetId));
}
