using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;

namespace ImagingRepo.Service.Tests.Datasets;

/// <summary>
/// Bad requests of every kind get the right 4xx problem response and change nothing: the state is read back after
/// each one.
/// </summary>
public abstract class BadInputTests(ServiceFixture fixture)
{
    public static TheoryData<string, string> BadCreations { get; } = new()
    {
        { "malformed JSON", """{"name": "Broken", "studies": [""" },
        { "not an object", """["name"]""" },
        { "an unknown property", """{"name": "Unknown property", "project": "ALPHA", "studies": [], "subjects": [], "colour": "red"}""" },
        { "an unknown property of a study", """{"name": "Unknown study property", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a/S/b", "modality": "CT"}]}""" },
        { "a name too long", $$"""{"name": "{{new string('n', 129)}}", "project": "ALPHA", "studies": [], "subjects": []}""" },
        { "a name too short", """{"name": "ab", "project": "ALPHA", "studies": [], "subjects": []}""" },
        { "a version too long", """{"name": "Long version", "version": "12345678901234567", "project": "ALPHA", "studies": [], "subjects": []}""" },
        { "a description too long", $$"""{"name": "Long description", "description": "{{new string('d', 20_001)}}", "project": "ALPHA", "studies": [], "subjects": []}""" },
        { "a wrong type value", """{"name": "Wrong type", "project": "ALPHA", "type": ["synthetic"], "studies": [], "subjects": []}""" },
        { "a number for the name", """{"name": 42, "project": "ALPHA", "studies": [], "subjects": []}""" },
        { "no studies", """{"name": "No studies", "project": "ALPHA", "subjects": []}""" },
        { "a study of an unknown subject", """{"name": "Unknown subject", "project": "ALPHA", "subjects": [], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a/S/b"}]}""" },
        { "a subject twice", """{"name": "Subject twice", "project": "ALPHA", "studies": [], "subjects": [{"subjectName": "S"}, {"subjectName": "S"}]}""" },
        { "a path climbing out of the lake", """{"name": "Climbing path", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a/../../etc"}]}""" },
        { "an absolute path", """{"name": "Absolute path", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "/etc/passwd"}]}""" },
        { "a backslash path", """{"name": "Backslash path", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a\\..\\b"}]}""" },
        { "a series folder climbing out", """{"name": "Climbing series", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a/S/b", "series": [{"folderName": "../c"}]}]}""" },
        { "two studies in one folder", """{"name": "Same folder", "project": "ALPHA", "subjects": [{"subjectName": "S"}], "studies": [{"studyId": "1", "subjectName": "S", "pathInDatalake": "a/S/b"}, {"studyId": "2", "subjectName": "S", "pathInDatalake": "c/S/b"}]}""" },
        { "a project code with a slash", """{"name": "Slash project", "project": "AL/PHA", "studies": [], "subjects": []}""" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadCreations))]
    public async Task A_bad_creation_request_is_a_400_problem_and_creates_nothing(string what, string body)
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var before = await CountAsync(curator);
        var detail = await (await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(detail), what);
        Assert.Equal(before, await CountAsync(curator));
    }

    public static TheoryData<string, string> BadPatches { get; } = new()
    {
        { "malformed JSON", """{"property": "name", "value": """ },
        { "an unknown member", """{"property": "name", "value": "New name", "force": true}""" },
        { "an unknown property", """{"property": "colour", "value": "red"}""" },
        { "no property", """{"value": "red"}""" },
        { "no value", """{"property": "name"}""" },
        { "a name too long", $$"""{"property": "name", "value": "{{new string('n', 129)}}"}""" },
        { "a number for the name", """{"property": "name", "value": 7}""" },
        { "a string for a flag", """{"property": "invalidated", "value": "yes"}""" },
        { "a tag with a space", """{"property": "tags", "value": ["two words"]}""" },
        { "a tag too long", """{"property": "tags", "value": ["abcdefghijklmnopqrstu"]}""" },
        { "a licence without url", """{"property": "license", "value": {"title": "CC BY 4.0"}}""" },
        { "a licence with an unknown member", """{"property": "license", "value": {"title": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/", "year": 2024}}""" },
        { "a contact too long", $$"""{"property": "contactInfo", "value": "{{new string('c', 257)}}"}""" },
        { "a previous id that does not exist", """{"property": "previousId", "value": "00000000-0000-0000-0000-000000000000"}""" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadPatches))]
    public async Task A_bad_patch_is_a_400_problem_and_changes_nothing(string what, string body)
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var id = await curator.CreateDatasetAsync(Api.Unique("Bad patch"));
        var before = (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText();
        var detail = await (await curator.SendJsonAsync(HttpMethod.Patch, $"api/datasets/{id}", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(detail), what);
        Assert.Equal(before, (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText());
    }

    [SkippableFact]
    public async Task A_request_without_a_token_or_with_a_bad_or_expired_one_is_a_401_problem_and_changes_nothing()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var id = await curator.CreateDatasetAsync(Api.Unique("Tokens"));
        var before = (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText();
        var count = await CountAsync(curator);

        using var anonymous = await fixture.ClientAsync(Personas.Anonymous);
        using (var response = await anonymous.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset(Api.Unique("No token")).ToJsonString()))
        {
            await response.ProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        await (await anonymous.PatchAsync(id, "name", "Anonymous name")).ProblemAsync(HttpStatusCode.Unauthorized);

        using var forged = new HttpClient { BaseAddress = fixture.BaseAddress };
        var token = await fixture.TokenAsync(Personas.Curator);
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));
        await (await forged.PatchAsync(id, "name", "Forged name")).ProblemAsync(HttpStatusCode.Unauthorized);
        // Even where anonymous callers are welcome, a bad token is refused rather than ignored.
        await (await forged.GetAsync("api/datasets")).ProblemAsync(HttpStatusCode.Unauthorized);

        using var expiring = await fixture.ClientAsync(Personas.Expiring);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using (var response = await expiring.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset(Api.Unique("Expired")).ToJsonString()))
        {
            Assert.Contains("expired", await response.ProblemAsync(HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        }

        Assert.Equal(before, (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText());
        Assert.Equal(count, await CountAsync(curator));
    }

    [SkippableFact]
    public async Task A_foreign_projects_dataset_is_neither_seen_nor_changed_and_its_project_refuses_datasets()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        using var foreign = await fixture.ClientAsync(Personas.Foreign);
        var id = await curator.CreateDatasetAsync(Api.Unique("Foreign"));
        await curator.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        var before = (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText();

        await (await foreign.GetAsync($"api/datasets/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await foreign.GetAsync($"api/datasets/{id}/studies")).ProblemAsync(HttpStatusCode.NotFound);
        await (await foreign.PatchAsync(id, "invalidated", true)).ProblemAsync(HttpStatusCode.NotFound);
        await (await foreign.DeleteAsync($"api/datasets/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, (await foreign.GetJsonAsync("api/datasets?limit=0")).GetProperty("list").EnumerateArray().Select(d => d.GetProperty("id").GetString()));
        await (await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset(Api.Unique("Into BETA"), "BETA").ToJsonString()))
            .ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText());
    }

    [SkippableFact]
    public async Task A_body_that_is_not_json_is_refused()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets") { Content = new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") };
        using var response = await curator.SendAsync(request);
        await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", new JsonObject().ToJsonString())).ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>How many datasets the curator sees (drafts included).</summary>
    private static async Task<int> CountAsync(HttpClient client) =>
        (await client.GetJsonAsync("api/datasets?limit=1")).GetProperty("total").GetInt32();
}

public sealed class BadInputOnSqliteTests(SqliteServiceFixture fixture) : BadInputTests(fixture), IClassFixture<SqliteServiceFixture>;

public sealed class BadInputOnPostgresTests(PostgresServiceFixture fixture) : BadInputTests(fixture), IClassFixture<PostgresServiceFixture>;
