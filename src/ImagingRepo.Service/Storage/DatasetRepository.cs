using System.Data.Common;
using System.Globalization;
using System.Text;
using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads and writes rows of <c>datasets</c> (and their tags in <c>dataset_tags</c>, kept for the tag filter).</summary>
internal sealed class DatasetRepository
{
    private const string Columns =
        "d.id, d.name, d.version, d.project, d.subproject, d.previous_id, d.next_id, d.author_id, d.author_name, d.author_email, " +
        "d.creation_date, d.description, d.provenance, d.purpose, d.types, d.collection_methods, d.tags, d.license_title, d.license_url, " +
        "d.pid_preferred, d.pid_zenodo_doi, d.pid_custom, d.contact_info, d.draft, d.creating, d.is_public, d.public_use, d.invalidated, " +
        "d.invalidation_reason, d.external, d.corrupted, d.last_integrity_check, d.studies_count, d.subjects_count, d.size_in_bytes, " +
        "d.metadata, d.times_used, d.revision";

    private const int ColumnCount = 38;

    /// <summary>What a list item shows (<see cref="MapListItem"/>): the list's search reads only these.</summary>
    private const string ListColumns =
        "d.id, d.name, d.version, d.author_name, d.creation_date, d.project, d.draft, d.is_public, d.public_use, d.invalidated, " +
        "d.corrupted, d.tags, d.studies_count, d.subjects_count, d.times_used";

    private const int ListColumnCount = 15;

    /// <summary>The value of search_text, lowered by the database as migration 2 lowered it (and name_key, author_name_key).</summary>
    private const string SearchTextValue =
        "lower(@name) || '" + DatasetSearchText.Separator + "' || lower(@id) || '" + DatasetSearchText.Separator + "' || lower(@author_name)";

    private const string SearchKeyValues = "lower(@name), lower(@author_name), " + SearchTextValue;

    public async Task InsertAsync(DbSession session, DatasetRecord dataset, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(
            "INSERT INTO datasets (id, name, version, project, subproject, previous_id, next_id, author_id, author_name, author_email, " +
            "creation_date, description, provenance, purpose, types, collection_methods, tags, license_title, license_url, pid_preferred, " +
            "pid_zenodo_doi, pid_custom, contact_info, draft, creating, is_public, public_use, invalidated, invalidation_reason, external, " +
            "corrupted, last_integrity_check, studies_count, subjects_count, size_in_bytes, metadata, times_used, revision, " +
            "name_key, author_name_key, search_text) VALUES (" +
            "@id, @name, @version, @project, @subproject, @previous_id, @next_id, @author_id, @author_name, @author_email, @creation_date, " +
            "@description, @provenance, @purpose, @types, @collection_methods, @tags, @license_title, @license_url, @pid_preferred, " +
            "@pid_zenodo_doi, @pid_custom, @contact_info, @draft, @creating, @is_public, @public_use, @invalidated, @invalidation_reason, " +
            "@external, @corrupted, @last_integrity_check, @studies_count, @subjects_count, @size_in_bytes, @metadata, @times_used, @revision, " +
            $"{SearchKeyValues})",
            Parameters(dataset), cancellationToken).ConfigureAwait(false);
        await WriteTagsAsync(session, dataset, cancellationToken).ConfigureAwait(false);
        session.BeforeCommit(CountListVersionUpAsync);
    }

    /// <summary>Writes every property back and counts the revision up.</summary>
    public async Task UpdateAsync(DbSession session, DatasetRecord dataset, CancellationToken cancellationToken)
    {
        dataset.Revision++;
        await session.ExecuteAsync(
            "UPDATE datasets SET name = @name, version = @version, subproject = @subproject, previous_id = @previous_id, next_id = @next_id, " +
            "author_id = @author_id, author_name = @author_name, author_email = @author_email, description = @description, " +
            "provenance = @provenance, purpose = @purpose, types = @types, collection_methods = @collection_methods, tags = @tags, " +
            "license_title = @license_title, license_url = @license_url, pid_preferred = @pid_preferred, pid_zenodo_doi = @pid_zenodo_doi, " +
            "pid_custom = @pid_custom, contact_info = @contact_info, draft = @draft, creating = @creating, is_public = @is_public, " +
            "public_use = @public_use, invalidated = @invalidated, invalidation_reason = @invalidation_reason, external = @external, " +
            "corrupted = @corrupted, last_integrity_check = @last_integrity_check, studies_count = @studies_count, " +
            "subjects_count = @subjects_count, size_in_bytes = @size_in_bytes, metadata = @metadata, times_used = @times_used, " +
            "revision = @revision, name_key = lower(@name), author_name_key = lower(@author_name), " +
            $"search_text = {SearchTextValue} WHERE id = @id",
            Parameters(dataset), cancellationToken).ConfigureAwait(false);
        await session.ExecuteAsync("DELETE FROM dataset_tags WHERE dataset_id = @id", cancellationToken, ("@id", dataset.Id)).ConfigureAwait(false);
        await WriteTagsAsync(session, dataset, cancellationToken).ConfigureAwait(false);
        session.BeforeCommit(CountListVersionUpAsync);
    }

    /// <summary>The dataset, or null; <paramref name="forUpdate"/> locks the row for the rest of the transaction.</summary>
    public Task<DatasetRecord?> GetAsync(DbSession session, string id, bool forUpdate, CancellationToken cancellationToken) =>
        session.QuerySingleAsync($"SELECT {Columns} FROM datasets d WHERE d.id = @id{(forUpdate ? session.Database.ForUpdate : "")}",
            Map, cancellationToken, ("@id", id));

    /// <summary>The datasets with these ids that exist.</summary>
    public async Task<List<DatasetRecord>> GetManyAsync(DbSession session, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return [];
        var parameters = ids.Select((id, i) => KeyValuePair.Create<string, object?>($"@id{i}", id)).ToList();
        return await session.QueryAsync(
            $"SELECT {Columns} FROM datasets d WHERE d.id IN ({string.Join(", ", parameters.Select(p => p.Key))})",
            Map, parameters, cancellationToken).ConfigureAwait(false);
    }

    public Task<int> DeleteAsync(DbSession session, string id, CancellationToken cancellationToken)
    {
        session.BeforeCommit(CountListVersionUpAsync);
        return session.ExecuteAsync("DELETE FROM datasets WHERE id = @id", cancellationToken, ("@id", id));
    }

    /// <summary>The version of the datasets as a whole: it moves with every committed write to any of them.</summary>
    public async Task<long> ListVersionAsync(DbSession session, CancellationToken cancellationToken) =>
        Convert.ToInt64(await session.ScalarAsync("SELECT value FROM dataset_list_version WHERE id = 1", cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("dataset_list_version has no row: the service's migration 3 did not run"), CultureInfo.InvariantCulture);

    /// <summary>Every dataset as the list shows it and filters it (<see cref="DatasetListEntry"/>).</summary>
    public Task<List<DatasetListEntry>> ListEntriesAsync(DbSession session, CancellationToken cancellationToken) =>
        session.QueryAsync(
            $"SELECT {ListColumns}, d.author_id, d.next_id, d.name_key, d.author_name_key, lower(d.id), d.search_text FROM datasets d",
            r => new DatasetListEntry(MapListItem(r), r.GetString(ListColumnCount), r.NullableString(ListColumnCount + 1),
                r.GetString(ListColumnCount + 2), r.GetString(ListColumnCount + 3), r.GetString(ListColumnCount + 4), r.GetString(ListColumnCount + 5),
                r.Int64(4)),
            null, cancellationToken);

    private static Task CountListVersionUpAsync(DbSession session, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE dataset_list_version SET value = value + 1 WHERE id = 1", null, cancellationToken);

    /// <summary>Drafts other than <paramref name="exceptId"/> that name <paramref name="previousId"/> as their previous version.</summary>
    public async Task<List<string>> OtherVersionsOfAsync(DbSession session, string previousId, string exceptId, CancellationToken cancellationToken) =>
        await session.QueryAsync("SELECT id FROM datasets WHERE previous_id = @previous AND id <> @except AND invalidated = FALSE ORDER BY id",
            r => r.GetString(0), cancellationToken, ("@previous", previousId), ("@except", exceptId)).ConfigureAwait(false);

    /// <summary>
    /// Released, valid datasets without a next version that <paramref name="authorId"/> wrote (null: anyone's), optionally of one project:
    /// the datasets a new one may name as its previous version.
    /// </summary>
    public Task<List<(string Id, string Name, string Version)>> UpgradableAsync(DbSession session, string? authorId, string? project, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT id, name, version FROM datasets WHERE draft = FALSE AND invalidated = FALSE AND next_id IS NULL");
        var parameters = new List<KeyValuePair<string, object?>>();
        if (authorId is not null)
        {
            sql.Append(" AND author_id = @author");
            parameters.Add(new("@author", authorId));
        }

        if (project is not null)
        {
            sql.Append(" AND project = @project");
            parameters.Add(new("@project", project));
        }

        sql.Append(" ORDER BY creation_date DESC, id");
        return session.QueryAsync(sql.ToString(), r => (r.GetString(0), r.GetString(1), r.GetString(2)), parameters, cancellationToken);
    }

    /// <summary>One page of a search and the number of all matches, as whole records.</summary>
    public Task<(List<DatasetRecord> Page, int Total)> SearchAsync(DbSession session, DatasetSearch search, CancellationToken cancellationToken) =>
        SearchAsync(session, search, Columns, ColumnCount, Map, cancellationToken);

    /// <summary>
    /// One page of a search and the number of all matches, as list items: only the columns a list shows are read, so
    /// the count over all matches does not carry descriptions and metadata along.
    /// </summary>
    public Task<(List<DatasetListItemWire> Page, int Total)> SearchListAsync(DbSession session, DatasetSearch search, CancellationToken cancellationToken) =>
        SearchAsync(session, search, ListColumns, ListColumnCount, MapListItem, cancellationToken);

    private static async Task<(List<T> Page, int Total)> SearchAsync<T>(DbSession session, DatasetSearch search, string columns, int columnCount,
        Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(search);
        var sql = new StringBuilder($"SELECT {columns}, COUNT(*) OVER () FROM datasets d WHERE {where} ORDER BY ");
        var byCodePoint = session.Database.CodePointOrder;
        sql.Append(search.SortBy switch
        {
            DatasetSortKey.Name => "d.name_key" + byCodePoint,
            DatasetSortKey.AuthorName => "d.author_name_key" + byCodePoint,
            DatasetSortKey.StudiesCount => "d.studies_count",
            DatasetSortKey.SubjectsCount => "d.subjects_count",
            DatasetSortKey.TimesUsed => "d.times_used",
            _ => "d.creation_date",
        });
        var direction = search.Descending ? " DESC" : " ASC";
        sql.Append(direction).Append(", d.id").Append(byCodePoint).Append(direction);
        if (search.Limit > 0)
        {
            sql.Append(" LIMIT @limit");
            parameters.Add(new("@limit", search.Limit));
        }
        else if (search.Skip > 0)
        {
            sql.Append(session.Database.Provider == StorageProvider.Sqlite ? " LIMIT -1" : " LIMIT ALL");
        }

        if (search.Skip > 0)
        {
            sql.Append(" OFFSET @skip");
            parameters.Add(new("@skip", search.Skip));
        }

        var total = 0;
        var page = await session.QueryAsync(sql.ToString(), r =>
        {
            total = r.Int32(columnCount);
            return map(r);
        }, parameters, cancellationToken).ConfigureAwait(false);
        if (page.Count == 0 && search.Skip > 0)
        {
            // A page past the end has no row to carry the window count: count alone.
            var (countWhere, countParameters) = Filter(search);
            total = Convert.ToInt32(await session.QuerySingleAsync($"SELECT COUNT(*) FROM datasets d WHERE {countWhere}",
                r => r.GetValue(0), cancellationToken, [.. countParameters.Select(p => (p.Key, p.Value))]).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        return (page, total);
    }

    /// <summary>The projects of the datasets a search with <paramref name="visibility"/> may return (the values of the project filter).</summary>
    public Task<List<string>> VisibleProjectsAsync(DbSession session, DatasetVisibility visibility, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(new DatasetSearch { Visibility = visibility });
        return session.QueryAsync($"SELECT DISTINCT d.project FROM datasets d WHERE {where} ORDER BY d.project", r => r.GetString(0), parameters, cancellationToken);
    }

    public async Task<bool> AnyInProjectAsync(DbSession session, string project, CancellationToken cancellationToken) =>
        await session.ScalarAsync("SELECT 1 FROM datasets WHERE project = @project LIMIT 1", cancellationToken, ("@project", project)).ConfigureAwait(false) is not null;

    private static (string Where, List<KeyValuePair<string, object?>> Parameters) Filter(DatasetSearch search)
    {
        var where = new StringBuilder("1 = 1");
        var parameters = new List<KeyValuePair<string, object?>>();
        void Add(string clause, string name, object? value)
        {
            where.Append(" AND ").Append(clause);
            parameters.Add(new(name, value));
        }

        var visibility = search.Visibility;
        if (!visibility.Everything)
        {
            if (visibility.NonPublicProjects is { } projects)
            {
                if (projects.Count == 0)
                {
                    where.Append(" AND d.is_public = TRUE");
                }
                else
                {
                    var names = projects.Order(StringComparer.Ordinal).Select((p, i) => (Name: $"@vp{i}", Value: p)).ToList();
                    where.Append(" AND (d.is_public = TRUE OR d.project IN (").Append(string.Join(", ", names.Select(n => n.Name))).Append("))");
                    parameters.AddRange(names.Select(n => KeyValuePair.Create<string, object?>(n.Name, n.Value)));
                }
            }

            if (visibility.NoDraftsOrInvalidated)
            {
                where.Append(" AND d.draft = FALSE AND d.invalidated = FALSE");
            }
            else if (visibility.DraftsAndInvalidatedOnlyOf is { } author)
            {
                Add("(d.draft = FALSE OR d.author_id = @owner) AND (d.invalidated = FALSE OR d.author_id = @owner)", "@owner", author);
            }
        }

        if (search.Draft is { } draft) Add("d.draft = @draft", "@draft", draft);
        if (search.Public is { } isPublic) Add("d.is_public = @public", "@public", isPublic);
        if (search.Invalidated is { } invalidated) Add("d.invalidated = @invalidated", "@invalidated", invalidated);
        if (search.Project is { } project) Add("d.project = @project", "@project", project);
        for (var i = 0; i < search.Tags.Count; i++)
        {
            Add($"EXISTS (SELECT 1 FROM dataset_tags t WHERE t.dataset_id = d.id AND t.tag = @tag{i})", $"@tag{i}", search.Tags[i]);
        }

        if (!string.IsNullOrEmpty(search.SearchString))
        {
            // One LIKE over the joined keys; a search text that holds the separator could match across two of them, so it
            // is matched against each key alone.
            Add(search.SearchString.Contains(DatasetSearchText.Separator, StringComparison.Ordinal)
                    ? "(d.name_key LIKE @search ESCAPE '\\' OR lower(d.id) LIKE @search ESCAPE '\\' OR d.author_name_key LIKE @search ESCAPE '\\')"
                    : "d.search_text LIKE @search ESCAPE '\\'",
                "@search", Contains(search.SearchString));
        }

        if (!string.IsNullOrEmpty(search.SearchSubject))
        {
            Add("EXISTS (SELECT 1 FROM studies s WHERE s.dataset_id = d.id AND lower(s.subject_name) LIKE @subject ESCAPE '\\')",
                "@subject", Contains(search.SearchSubject));
        }

        if (search.OnlyLastVersions) where.Append(" AND d.next_id IS NULL");
        return (where.ToString(), parameters);
    }

    /// <summary>A case-insensitive substring pattern with LIKE's wildcards escaped.</summary>
    private static string Contains(string text) =>
        "%" + text.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static async Task WriteTagsAsync(DbSession session, DatasetRecord dataset, CancellationToken cancellationToken)
    {
        foreach (var tag in dataset.Tags.Distinct(StringComparer.Ordinal))
        {
            await session.ExecuteAsync("INSERT INTO dataset_tags (dataset_id, tag) VALUES (@id, @tag)", cancellationToken,
                ("@id", dataset.Id), ("@tag", tag)).ConfigureAwait(false);
        }
    }

    private static List<KeyValuePair<string, object?>> Parameters(DatasetRecord d) =>
    [
        new("@id", d.Id), new("@name", d.Name), new("@version", d.Version), new("@project", d.Project), new("@subproject", d.Subproject),
        new("@previous_id", d.PreviousId), new("@next_id", d.NextId), new("@author_id", d.AuthorId), new("@author_name", d.AuthorName),
        new("@author_email", d.AuthorEmail), new("@creation_date", d.CreationDate.ToUnixTimeMilliseconds()), new("@description", d.Description),
        new("@provenance", d.Provenance), new("@purpose", d.Purpose), new("@types", StorageJson.Write(d.Types)),
        new("@collection_methods", StorageJson.Write(d.CollectionMethods)), new("@tags", StorageJson.Write(d.Tags)),
        new("@license_title", d.LicenseTitle), new("@license_url", d.LicenseUrl), new("@pid_preferred", d.PidPreferred),
        new("@pid_zenodo_doi", d.PidZenodoDoi), new("@pid_custom", d.PidCustom), new("@contact_info", d.ContactInfo),
        new("@draft", d.Draft), new("@creating", d.Creating), new("@is_public", d.Public), new("@public_use", d.PublicUse),
        new("@invalidated", d.Invalidated), new("@invalidation_reason", d.InvalidationReason), new("@external", d.External),
        new("@corrupted", d.Corrupted), new("@last_integrity_check", d.LastIntegrityCheck.Millis()), new("@studies_count", d.StudiesCount),
        new("@subjects_count", d.SubjectsCount), new("@size_in_bytes", d.SizeInBytes), new("@metadata", d.Metadata),
        new("@times_used", d.TimesUsed), new("@revision", d.Revision),
    ];

    private static DatasetListItemWire MapListItem(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Version = r.GetString(2),
        AuthorName = r.GetString(3),
        CreationDate = DatasetWireMapper.Utc(r.Time(4)),
        Project = r.GetString(5),
        Draft = r.Boolean(6),
        Public = r.Boolean(7),
        PublicUse = r.Boolean(8),
        Invalidated = r.Boolean(9),
        Corrupted = r.Boolean(10),
        Tags = StorageJson.ReadList(r.GetString(11)),
        StudiesCount = r.Int32(12),
        SubjectsCount = r.Int32(13),
        TimesUsed = r.Int32(14),
    };

    private static DatasetRecord Map(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Version = r.GetString(2),
        Project = r.GetString(3),
        Subproject = r.GetString(4),
        PreviousId = r.NullableString(5),
        NextId = r.NullableString(6),
        AuthorId = r.GetString(7),
        AuthorName = r.GetString(8),
        AuthorEmail = r.GetString(9),
        CreationDate = r.Time(10),
        Description = r.GetString(11),
        Provenance = r.GetString(12),
        Purpose = r.GetString(13),
        Types = StorageJson.ReadList(r.GetString(14)),
        CollectionMethods = StorageJson.ReadList(r.GetString(15)),
        Tags = StorageJson.ReadList(r.GetString(16)),
        LicenseTitle = r.GetString(17),
        LicenseUrl = r.GetString(18),
        PidPreferred = r.NullableString(19),
        PidZenodoDoi = r.NullableString(20),
        PidCustom = r.NullableString(21),
        ContactInfo = r.GetString(22),
        Draft = r.Boolean(23),
        Creating = r.Boolean(24),
        Public = r.Boolean(25),
        PublicUse = r.Boolean(26),
        Invalidated = r.Boolean(27),
        InvalidationReason = r.NullableString(28),
        External = r.Boolean(29),
        Corrupted = r.Boolean(30),
        LastIntegrityCheck = r.NullableTime(31),
        StudiesCount = r.Int32(32),
        SubjectsCount = r.Int32(33),
        SizeInBytes = r.NullableInt64(34),
        Metadata = r.NullableString(35),
        TimesUsed = r.Int32(36),
        Revision = r.Int64(37),
    };
}
