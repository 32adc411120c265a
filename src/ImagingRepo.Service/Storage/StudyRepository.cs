using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads and writes <c>studies</c> and <c>subjects</c> of datasets.</summary>
internal sealed class StudyRepository
{
    private const string Columns = "study_id, study_name, subject_name, path_in_datalake, series, url, size_in_bytes, hash, metadata";

    public async Task InsertAsync(DbSession session, string datasetId, IReadOnlyList<StudyRecord> studies, CancellationToken cancellationToken)
    {
        for (var i = 0; i < studies.Count; i++)
        {
            var s = studies[i];
            await session.ExecuteAsync(
                $"INSERT INTO studies (dataset_id, ordinal, {Columns}) VALUES (@dataset, @ordinal, @study_id, @study_name, @subject_name, @path, @series, @url, @size, @hash, @metadata)",
                cancellationToken, ("@dataset", datasetId), ("@ordinal", i), ("@study_id", s.StudyId), ("@study_name", s.StudyName),
                ("@subject_name", s.SubjectName), ("@path", s.PathInDatalake), ("@series", WriteSeries(s.Series)), ("@url", s.Url),
                ("@size", s.SizeInBytes), ("@hash", s.Hash), ("@metadata", s.Metadata)).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the studies of a dataset (after creation pruned or described them).</summary>
    public async Task ReplaceAsync(DbSession session, string datasetId, IReadOnlyList<StudyRecord> studies, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM studies WHERE dataset_id = @dataset", cancellationToken, ("@dataset", datasetId)).ConfigureAwait(false);
        await InsertAsync(session, datasetId, studies, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of the studies in dataset order (<paramref name="limit"/> 0: all) and their total.</summary>
    public async Task<(List<StudyRecord> Page, int Total)> PageAsync(DbSession session, string datasetId, int skip, int limit, CancellationToken cancellationToken)
    {
        var total = Convert.ToInt32(await session.ScalarAsync("SELECT COUNT(*) FROM studies WHERE dataset_id = @dataset", cancellationToken,
            ("@dataset", datasetId)).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var sql = $"SELECT {Columns} FROM studies WHERE dataset_id = @dataset ORDER BY ordinal";
        if (limit > 0) sql += " LIMIT @limit";
        else if (skip > 0) sql += session.Database.Provider == StorageProvider.Sqlite ? " LIMIT -1" : " LIMIT ALL";
        if (skip > 0) sql += " OFFSET @skip";
        var page = await session.QueryAsync(sql, Map, cancellationToken, ("@dataset", datasetId), ("@limit", limit), ("@skip", skip)).ConfigureAwait(false);
        return (page, total);
    }

    public Task<List<StudyRecord>> AllAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM studies WHERE dataset_id = @dataset ORDER BY ordinal", Map, cancellationToken, ("@dataset", datasetId));

    public async Task InsertSubjectsAsync(DbSession session, string datasetId, IReadOnlyList<SubjectRecord> subjects, CancellationToken cancellationToken)
    {
        foreach (var s in subjects)
        {
            await session.ExecuteAsync(
                "INSERT INTO subjects (dataset_id, subject_name, subject_id, eform) VALUES (@dataset, @name, @id, @eform)",
                cancellationToken, ("@dataset", datasetId), ("@name", s.SubjectName), ("@id", s.SubjectId), ("@eform", s.EForm)).ConfigureAwait(false);
        }
    }

    public Task<List<SubjectRecord>> SubjectsAsync(DbSession session, string datasetId, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT subject_name, subject_id, eform FROM subjects WHERE dataset_id = @dataset ORDER BY subject_name",
            r => new SubjectRecord(r.GetString(0), r.GetString(1), r.NullableString(2)), cancellationToken, ("@dataset", datasetId));

    private static string WriteSeries(IReadOnlyList<SeriesEntry> series) =>
        JsonSerializer.Serialize(series as SeriesEntry[] ?? [.. series], DatasetStorageJsonContext.Default.SeriesEntryArray);

    private static StudyRecord Map(DbDataReader r) => new()
    {
        StudyId = r.GetString(0),
        StudyName = r.GetString(1),
        SubjectName = r.GetString(2),
        PathInDatalake = r.GetString(3),
        Series = JsonSerializer.Deserialize(r.GetString(4), DatasetStorageJsonContext.Default.SeriesEntryArray) ?? [],
        Url = r.GetString(5),
        SizeInBytes = r.NullableInt64(6),
        Hash = r.NullableString(7),
        Metadata = r.NullableString(8),
    };
}

/// <summary>Source-generated serialization of the series column.</summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(SeriesEntry[]))]
internal sealed partial class DatasetStorageJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
