using System.Data.Common;
using System.Globalization;
using ImagingRepo.Service.Access;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads and writes <c>dataset_accesses</c> and the datasets each one covers.</summary>
internal sealed class DatasetAccessRepository
{
    private const string Columns =
        "a.id, a.username, a.access_type, a.instance_name, a.tool_name, a.tool_version, a.image, a.resources_flavor, a.command_line, " +
        "a.openchallenge_job_type, a.creation_time, a.start_time, a.end_time, a.end_status";

    public async Task<bool> ExistsAsync(DbSession session, string id, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT 1 FROM dataset_accesses WHERE id = @id", cancellationToken, ("@id", id)).ConfigureAwait(false) is not null;

    public async Task InsertAsync(DbSession session, DatasetAccessRecord a, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            "INSERT INTO dataset_accesses (id, username, access_type, instance_name, tool_name, tool_version, image, resources_flavor, " +
            "command_line, openchallenge_job_type, creation_time) VALUES (@id, @username, @type, @instance, @tool, @version, @image, @flavor, " +
            "@cmd, @challenge, @created)",
            cancellationToken, ("@id", a.Id), ("@username", a.Username), ("@type", a.AccessType), ("@instance", a.InstanceName),
            ("@tool", a.ToolName), ("@version", a.ToolVersion), ("@image", a.Image), ("@flavor", a.ResourcesFlavor), ("@cmd", a.CommandLine),
            ("@challenge", a.OpenchallengeJobType), ("@created", a.CreationTime.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        foreach (var datasetId in a.DatasetIds.Distinct(StringComparer.Ordinal))
        {
            await session.ExecuteAsync("INSERT INTO dataset_access_datasets (access_id, dataset_id) VALUES (@id, @dataset)", cancellationToken,
                ("@id", a.Id), ("@dataset", datasetId)).ConfigureAwait(false);
        }
    }

    public Task<int> CloseAsync(DbSession session, string id, DateTimeOffset? start, DateTimeOffset? end, string? status, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE dataset_accesses SET start_time = @start, end_time = @end, end_status = @status WHERE id = @id",
            cancellationToken, ("@id", id), ("@start", start.Millis()), ("@end", end.Millis()), ("@status", status));

    /// <summary>Accesses of a dataset, newest first, one page (<paramref name="limit"/> 0: all), and their total.</summary>
    public async Task<(List<DatasetAccessRecord> Page, int Total)> PageForDatasetAsync(DbSession session, string datasetId, int skip, int limit, CancellationToken cancellationToken)
    {
        var total = Convert.ToInt32(await session.ScalarAsync("SELECT COUNT(*) FROM dataset_access_datasets WHERE dataset_id = @dataset",
            cancellationToken, ("@dataset", datasetId)).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var sql = $"SELECT {Columns} FROM dataset_accesses a JOIN dataset_access_datasets ad ON ad.access_id = a.id " +
                  "WHERE ad.dataset_id = @dataset ORDER BY a.creation_time DESC, a.id";
        if (limit > 0) sql += " LIMIT @limit";
        else if (skip > 0) sql += session.Database.Provider == StorageProvider.Sqlite ? " LIMIT -1" : " LIMIT ALL";
        if (skip > 0) sql += " OFFSET @skip";
        var page = await session.QueryAsync(sql, r => Map(r, []), cancellationToken, ("@dataset", datasetId), ("@limit", limit), ("@skip", skip))
            .ConfigureAwait(false);
        return (page, total);
    }

    /// <summary>Accesses of a dataset not closed yet.</summary>
    public Task<List<string>> OpenForDatasetAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT a.id FROM dataset_accesses a JOIN dataset_access_datasets ad ON ad.access_id = a.id " +
                           "WHERE ad.dataset_id = @dataset AND a.end_time IS NULL ORDER BY a.id",
            r => r.GetString(0), cancellationToken, ("@dataset", datasetId));

    private static DatasetAccessRecord Map(DbDataReader r, IReadOnlyList<string> datasetIds) => new()
    {
        Id = r.GetString(0),
        Username = r.GetString(1),
        DatasetIds = datasetIds,
        AccessType = r.GetString(2),
        InstanceName = r.GetString(3),
        ToolName = r.GetString(4),
        ToolVersion = r.GetString(5),
        Image = r.GetString(6),
        ResourcesFlavor = r.GetString(7),
        CommandLine = r.GetString(8),
        OpenchallengeJobType = r.GetString(9),
        CreationTime = r.Time(10),
        StartTime = r.NullableTime(11),
        EndTime = r.NullableTime(12),
        EndStatus = r.NullableString(13),
    };
}
