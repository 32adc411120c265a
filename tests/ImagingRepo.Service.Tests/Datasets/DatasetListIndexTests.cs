using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Service.Tests.Datasets;

/// <summary>
/// The in-memory dataset list (<see cref="DatasetListIndex"/>) against the SQL search it stands in for: a few hundred
/// searches, drawn with a fixed seed over every filter, visibility, sort key, direction and page, must give the same
/// totals and the same ids in the same order on datasets made to differ in every column a search reads (case, accents,
/// characters above U+FFFF and in U+E000–U+FFFF, equal names and dates, LIKE's wildcards). And a write committed through
/// another instance's repository shows in this instance's next search.
/// </summary>
public abstract class DatasetListIndexTests(ServiceFixture fixture)
{
    private static readonly string[] Names =
    [
        "Lung CT cohort", "lung ct cohort", "LUNG_CT%", "Breast MR", "Éclair study", "éclair study", "Ärzte cohort", "arzte cohort",
        "Zeta \uE000 private", "Zeta \U0001D538 math", "Zeta z", "Prostate", "Prostate", "colon 50%", "colon_50", "Rectum\nsplit",
    ];

    private static readonly string[] Searches = ["", "lung", "LUNG", "_", "%", "é", "ärzte", "zeta", "\U0001D538", "ct\nauthor", "cohort", "q", "50%", "-eq-"];

    [SkippableFact]
    public async Task Searches_in_memory_give_what_the_same_searches_give_in_SQL()
    {
        fixture.Require();
        var services = fixture.App.Services;
        var database = services.GetRequiredService<Database>();
        var repository = services.GetRequiredService<DatasetRepository>();
        var index = services.GetRequiredService<DatasetListIndex>();
        var run = Guid.NewGuid().ToString("N")[..6];
        string[] projects = [$"EQA{run}".ToUpperInvariant(), $"EQB{run}".ToUpperInvariant()];
        string[] authors = [$"author-a-{run}", $"author-b-{run}"];
        var random = new Random(1217);
        await database.InTransactionAsync(async session =>
        {
            foreach (var project in projects) await AddProjectAsync(session, project);
            for (var i = 0; i < 48; i++)
            {
                var dataset = new DatasetRecord
                {
                    Id = $"eq-{run}-{i:D2}",
                    Name = Names[i % Names.Length],
                    Project = projects[i % 2],
                    AuthorId = authors[i / 2 % 2],
                    AuthorName = i % 3 == 0 ? "Ana Ñúñez" : "bob",
                    CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i / 3 * 1000), // three datasets per date
                    Draft = i % 4 == 0,
                    Creating = false,
                    Public = i % 5 == 0,
                    Invalidated = i % 7 == 0,
                    NextId = i % 6 == 0 ? $"eq-{run}-next" : null,
                    Tags = i % 3 == 1 ? ["eq-one", "eq-two"] : i % 3 == 2 ? ["eq-two"] : [],
                    StudiesCount = random.Next(0, 4),
                    SubjectsCount = i % 5,
                    TimesUsed = random.Next(0, 3),
                };
                await repository.InsertAsync(session, dataset, CancellationToken.None);
            }
        }, CancellationToken.None);

        DatasetVisibility[] visibilities =
        [
            DatasetVisibility.All,
            new(false, new HashSet<string>(StringComparer.Ordinal), null, true),
            new(false, new HashSet<string>([projects[0]], StringComparer.Ordinal), null, true),
            new(false, new HashSet<string>([projects[0]], StringComparer.Ordinal), authors[0], false),
            new(false, new HashSet<string>(projects, StringComparer.Ordinal), authors[1], false),
        ];
        bool?[] flags = [null, true, false];
        for (var n = 0; n < 400; n++)
        {
            var search = new DatasetSearch
            {
                Visibility = visibilities[random.Next(visibilities.Length)],
                Draft = flags[random.Next(3)],
                Public = random.Next(3) == 0 ? flags[random.Next(3)] : null,
                Invalidated = random.Next(3) == 0 ? flags[random.Next(3)] : null,
                Project = random.Next(4) == 0 ? projects[random.Next(2)] : null,
                Tags = random.Next(4) switch { 0 => ["eq-two"], 1 => ["eq-one", "eq-two"], _ => [] },
                SearchString = Searches[random.Next(Searches.Length)] is { Length: > 0 } term ? term : null,
                OnlyLastVersions = random.Next(4) == 0,
                SortBy = (DatasetSortKey)random.Next(Enum.GetValues<DatasetSortKey>().Length),
                Descending = random.Next(2) == 0,
                Skip = random.Next(3) == 0 ? random.Next(0, 12) : 0,
                Limit = random.Next(4) == 0 ? 0 : random.Next(1, 20),
            };
            var inSql = await database.ReadAsync(s => repository.SearchListAsync(s, search, CancellationToken.None), CancellationToken.None);
            var inMemory = await database.ReadAsync(s => index.SearchAsync(s, search, CancellationToken.None), CancellationToken.None);
            var described = $"search {n} on {fixture.StorageName}: {search} sort {search.SortBy} desc={search.Descending}";
            Assert.True(inSql.Total == inMemory.Total, $"{described}: total {inMemory.Total} in memory, {inSql.Total} in SQL");
            Assert.True(inSql.Page.Select(d => d.Id).SequenceEqual(inMemory.Page.Select(d => d.Id)),
                $"{described}: [{string.Join(", ", inMemory.Page.Select(d => d.Id))}] in memory, [{string.Join(", ", inSql.Page.Select(d => d.Id))}] in SQL");
            Assert.Equal(inSql.Page, inMemory.Page, ListItemComparer.Instance);
        }
    }

    [SkippableFact]
    public async Task A_write_through_another_instance_shows_in_the_next_search()
    {
        fixture.Require();
        var services = fixture.App.Services;
        var database = services.GetRequiredService<Database>();
        var repository = services.GetRequiredService<DatasetRepository>();
        using var index = new DatasetListIndex(repository, NullLogger<DatasetListIndex>.Instance);
        var id = "eq-renamed-" + Guid.NewGuid().ToString("N")[..8];
        await database.InTransactionAsync(s => AddProjectAsync(s, id.ToUpperInvariant()), CancellationToken.None);
        var search = new DatasetSearch { Visibility = DatasetVisibility.All, SearchString = id, Limit = 0 };
        var dataset = new DatasetRecord { Id = id, Name = "before", Project = id.ToUpperInvariant(), AuthorId = "someone", AuthorName = "Someone", CreationDate = DateTimeOffset.UnixEpoch, Creating = false };
        await database.InTransactionAsync(s => repository.InsertAsync(s, dataset, CancellationToken.None), CancellationToken.None);
        var before = await database.ReadAsync(s => index.SearchAsync(s, search, CancellationToken.None), CancellationToken.None);
        Assert.Equal(["before"], before.Page.Select(d => d.Name));

        // Another instance (the service's own repository and index stand for it) renames the dataset.
        dataset.Name = "after";
        await database.InTransactionAsync(s => repository.UpdateAsync(s, dataset, CancellationToken.None), CancellationToken.None);
        var after = await database.ReadAsync(s => index.SearchAsync(s, search, CancellationToken.None), CancellationToken.None);
        Assert.Equal(["after"], after.Page.Select(d => d.Name));

        await database.InTransactionAsync(s => repository.DeleteAsync(s, id, CancellationToken.None), CancellationToken.None);
        var gone = await database.ReadAsync(s => index.SearchAsync(s, search, CancellationToken.None), CancellationToken.None);
        Assert.Equal(0, gone.Total);
    }

    private static Task AddProjectAsync(DbSession session, string code) =>
        session.ExecuteAsync("INSERT INTO projects (code, name) VALUES (@code, @code)", CancellationToken.None, ("@code", code));

    /// <summary>Compares list items field by field (their tag lists by content).</summary>
    private sealed class ListItemComparer : IEqualityComparer<DatasetListItemWire>
    {
        public static ListItemComparer Instance { get; } = new();

        public bool Equals(DatasetListItemWire? x, DatasetListItemWire? y) =>
            x is not null && y is not null && (x with { Tags = [] }) == (y with { Tags = [] }) && x.Tags.SequenceEqual(y.Tags);

        public int GetHashCode(DatasetListItemWire obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}

public sealed class DatasetListIndexOnSqliteTests(SqliteServiceFixture fixture) : DatasetListIndexTests(fixture), IClassFixture<SqliteServiceFixture>;

public sealed class DatasetListIndexOnPostgresTests(PostgresServiceFixture fixture) : DatasetListIndexTests(fixture), IClassFixture<PostgresServiceFixture>;
