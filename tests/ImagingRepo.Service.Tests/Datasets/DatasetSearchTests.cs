using System.Net;
using System.Text.Json;
using ImagingRepo.Service.Tests.Infrastructure;

namespace ImagingRepo.Service.Tests.Datasets;

/// <summary>
/// <c>GET /datasets</c>: every filter, sort key and direction, and skip/limit paging with its totals; the studies of a
/// dataset paged with the spec's and the Dataset Explorer's parameter names. Each test tags its own datasets, so
/// datasets of other tests in the same service never match.
/// </summary>
public abstract class DatasetSearchTests(ServiceFixture fixture)
{
    [SkippableFact]
    public async Task Tag_and_search_string_filter_and_the_list_sorts_and_pages_with_its_totals()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var tag = "t" + Guid.NewGuid().ToString("N")[..8];
        var names = new[] { "Delta", "alpha", "Charlie", "bravo", "Echo" };
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var id = await curator.CreateDatasetAsync(Api.NewDataset($"{name} {tag}", studies: i + 1));
            await curator.PatchAsync(id, "tags", new[] { tag, "search-test" }).ExpectAsync(HttpStatusCode.NoContent);
        }

        var byName = await curator.GetJsonAsync($"api/datasets?tag={tag}&sortBy=name&sortDirection=ascending&limit=0");
        Assert.Equal(5, byName.GetProperty("total").GetInt32());
        Assert.Equal(5, byName.GetProperty("returned").GetInt32());
        Assert.Equal(0, byName.GetProperty("limit").GetInt32());
        var sorted = Names(byName).ToList();
        // Names sort without regard to case, the same on every database.
        Assert.Equal([$"alpha {tag}", $"bravo {tag}", $"Charlie {tag}", $"Delta {tag}", $"Echo {tag}"], sorted);

        var page = await curator.GetJsonAsync($"api/datasets?tag={tag}&sortBy=studiesCount&sortDirection=descending&skip=1&limit=2");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("returned").GetInt32());
        Assert.Equal(1, page.GetProperty("skipped").GetInt32());
        Assert.Equal(2, page.GetProperty("limit").GetInt32());
        Assert.Equal([4, 3], page.GetProperty("list").EnumerateArray().Select(d => d.GetProperty("studiesCount").GetInt32()));

        var past = await curator.GetJsonAsync($"api/datasets?tag={tag}&skip=10&limit=2");
        Assert.Equal(5, past.GetProperty("total").GetInt32());
        Assert.Equal(0, past.GetProperty("returned").GetInt32());

        // searchString: a case-insensitive substring of the name, id or author.
        var search = await curator.GetJsonAsync($"api/datasets?searchString=CHARLIE%20{tag}");
        Assert.Equal([$"Charlie {tag}"], Names(search));
        var both = await curator.GetJsonAsync($"api/datasets?tags={tag}&tag=search-test&searchString=o%20{tag}");
        Assert.Equal(["bravo " + tag, "Echo " + tag], Names(both).Order(StringComparer.OrdinalIgnoreCase));
        var wildcard = await curator.GetJsonAsync($"api/datasets?tag={tag}&searchString=%25");
        Assert.Equal(0, wildcard.GetProperty("total").GetInt32());
        var actions = (await curator.GetJsonAsync("api/datasets?limit=1")).GetProperty("allowedActionsForTheUser");
        Assert.Equal(["create"], actions.EnumerateArray().Select(e => e.GetString()));
    }

    [SkippableFact]
    public async Task Flag_filters_version_filter_and_subject_search_narrow_the_list()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        using var superadmin = await fixture.ClientAsync(Personas.Superadmin);
        using var reader = await fixture.ClientAsync(Personas.Reader);
        using var anonymous = await fixture.ClientAsync(Personas.Anonymous);
        var tag = "f" + Guid.NewGuid().ToString("N")[..8];
        async Task<string> Make(string name)
        {
            var id = await curator.CreateDatasetAsync(Api.NewDataset($"{name} {tag}"));
            await curator.PatchAsync(id, "tags", new[] { tag }).ExpectAsync(HttpStatusCode.NoContent);
            return id;
        }

        var draft = await Make("draft");
        var released = await Make("released");
        await curator.PatchAsync(released, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        var published = await Make("published");
        await curator.PatchAsync(published, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        await superadmin.PatchAsync(published, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        var invalidated = await Make("invalidated");
        await curator.PatchAsync(invalidated, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        await curator.PatchAsync(invalidated, "invalidated", true).ExpectAsync(HttpStatusCode.NoContent);
        var next = await curator.CreateDatasetAsync(Api.NewDataset($"next {tag}", previousId: released));
        await curator.PatchAsync(next, "tags", new[] { tag }).ExpectAsync(HttpStatusCode.NoContent);
        await curator.PatchAsync(next, "draft", false).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal([draft], await Ids(curator, $"tag={tag}&draft=true"));
        Assert.Equal([invalidated], await Ids(curator, $"tag={tag}&invalidated=true"));
        Assert.Equal([published], await Ids(curator, $"tag={tag}&public=true"));
        Assert.DoesNotContain(released, await Ids(curator, $"tag={tag}&onlyLastVersions=true"));
        Assert.Contains(next, await Ids(curator, $"tag={tag}&onlyLastVersions=true"));
        Assert.Equal(5, (await Ids(curator, $"tag={tag}")).Count);
        Assert.Equal(5, (await Ids(curator, $"tag={tag}&project=ALPHA")).Count);
        Assert.Empty(await Ids(curator, $"tag={tag}&project=BETA"));

        // A reader sees neither drafts nor invalidated datasets; an anonymous caller only published ones.
        Assert.Equal(new[] { released, published, next }.Order(), (await Ids(reader, $"tag={tag}")).Order());
        Assert.Equal([published], await Ids(anonymous, $"tag={tag}"));

        var subject = (await curator.GetJsonAsync($"api/datasets/{released}/studies")).GetProperty("list")[0].GetProperty("subjectName").GetString()!;
        Assert.Contains(released, await Ids(curator, $"tag={tag}&searchSubject={subject.ToLowerInvariant()}"));
        Assert.DoesNotContain(draft, await Ids(curator, $"tag={tag}&searchSubject={subject}"));
    }

    [SkippableFact]
    public async Task Studies_page_with_skip_and_limit_or_the_explorers_studiesSkip_and_studiesLimit()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var id = await curator.CreateDatasetAsync(Api.NewDataset(Api.Unique("Studies"), studies: 7));

        var all = await curator.GetJsonAsync($"api/datasets/{id}/studies");
        Assert.Equal(7, all.GetProperty("total").GetInt32());
        Assert.Equal(30, all.GetProperty("limit").GetInt32());
        var first = all.GetProperty("list")[0];
        Assert.False(first.TryGetProperty("pathInDatalake", out _));
        Assert.False(first.TryGetProperty("hash", out _));
        Assert.Equal("https://explorer.example/studies/0?user=curator", first.GetProperty("url").GetString());
        Assert.Equal("1", first.GetProperty("series")[0].GetProperty("folderName").GetString());

        var page = await curator.GetJsonAsync($"api/datasets/{id}/studies?skip=2&limit=3");
        Assert.Equal(["study-2", "study-3", "study-4"], page.GetProperty("list").EnumerateArray().Select(s => s.GetProperty("studyId").GetString()));
        var explorer = await curator.GetJsonAsync($"api/datasets/{id}/studies?studiesSkip=5&studiesLimit=30");
        Assert.Equal(5, explorer.GetProperty("skipped").GetInt32());
        Assert.Equal(["study-5", "study-6"], explorer.GetProperty("list").EnumerateArray().Select(s => s.GetProperty("studyId").GetString()));
    }

    [SkippableFact]
    public async Task Search_and_sort_follow_a_rename_and_never_match_across_name_id_and_author()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var tag = "r" + Guid.NewGuid().ToString("N")[..8];
        var first = await curator.CreateDatasetAsync(Api.NewDataset($"Zulu {tag}"));
        var second = await curator.CreateDatasetAsync(Api.NewDataset($"Mike {tag}"));
        foreach (var id in new[] { first, second }) await curator.PatchAsync(id, "tags", new[] { tag }).ExpectAsync(HttpStatusCode.NoContent);

        await curator.PatchAsync(first, "name", $"Alpha {tag}").ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal([$"Alpha {tag}", $"Mike {tag}"], Names(await curator.GetJsonAsync($"api/datasets?tag={tag}&sortBy=name&sortDirection=ascending")));
        Assert.Equal([$"Alpha {tag}"], Names(await curator.GetJsonAsync($"api/datasets?tag={tag}&searchString=ALPHA")));
        Assert.Equal(0, (await curator.GetJsonAsync($"api/datasets?tag={tag}&searchString=zulu")).GetProperty("total").GetInt32());

        // The end of the name and the start of the id, joined by a line feed: neither holds it alone, so nothing matches.
        var across = Uri.EscapeDataString($"{tag}\n{first[..4]}");
        Assert.Equal(0, (await curator.GetJsonAsync($"api/datasets?tag={tag}&searchString={across}")).GetProperty("total").GetInt32());
    }

    [SkippableTheory]
    [InlineData("api/datasets?sortBy=size")]
    [InlineData("api/datasets?sortDirection=up")]
    [InlineData("api/datasets?skip=-1")]
    [InlineData("api/datasets?limit=-5")]
    [InlineData("api/datasets?draft=perhaps")]
    [InlineData("api/datasets?tag=no%20spaces")]
    [InlineData("api/datasets?project=A%2FB")]
    [InlineData("api/projects?purpose=everything")]
    public async Task Wrong_list_parameters_are_a_400_problem(string path)
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        await (await curator.GetAsync(path)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private static async Task<List<string>> Ids(HttpClient client, string query) =>
        [.. (await client.GetJsonAsync($"api/datasets?{query}&limit=0")).GetProperty("list").EnumerateArray().Select(d => d.GetProperty("id").GetString()!)];

    private static IEnumerable<string> Names(JsonElement page) => page.GetProperty("list").EnumerateArray().Select(d => d.GetProperty("name").GetString()!);
}

public sealed class DatasetSearchOnSqliteTests(SqliteServiceFixture fixture) : DatasetSearchTests(fixture), IClassFixture<SqliteServiceFixture>;

public sealed class DatasetSearchOnPostgresTests(PostgresServiceFixture fixture) : DatasetSearchTests(fixture), IClassFixture<PostgresServiceFixture>;
