using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Creation.Metadata;
using ImagingRepo.Service.Eucaim;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Tests.Eucaim;

/// <summary>
/// EUCAIM's federated search over real HTTP: condition trees on study and series attributes answered with the matching
/// studies and subjects of published, valid datasets only; the secret checked; malformed trees answered 422 with the
/// reason, leaving everything as it was.
/// </summary>
public abstract class EucaimSearchTests(ServiceFixture fixture)
{
    private const string Male = "SNOMEDCT248153007";

    [SkippableFact]
    public async Task A_condition_on_sex_counts_the_matching_studies_and_subjects_of_published_datasets_only()
    {
        var corpus = await CorpusAsync();
        var answer = await SearchAsync(Tree("AND", Condition("SNOMEDCT263495000", "EQUALS", Male)));

        var collection = Assert.Single(answer.GetProperty("collections").EnumerateArray());
        Assert.Equal(corpus.Published, collection.GetProperty("id").GetString());
        Assert.Equal(corpus.PublishedName, collection.GetProperty("name").GetString());
        Assert.Equal(2, collection.GetProperty("studies_count").GetInt32());
        Assert.Equal(1, collection.GetProperty("subjects_count").GetInt32());
        Assert.Equal(60, collection.GetProperty("age_range").GetProperty("min").GetInt32());
        Assert.Equal(70, collection.GetProperty("age_range").GetProperty("max").GetInt32());
        Assert.Equal<string>(["Male", "Female", "Unknown"], Strings(collection.GetProperty("gender")));
        Assert.Equal<string>(["CT", "PT", "MR"], Strings(collection.GetProperty("modality")));
        Assert.Equal<string>(["LUNG", "BREAST", "PELVIS"], Strings(collection.GetProperty("body_parts")));
        Assert.Equal("A test dataset.", collection.GetProperty("description").GetString());
    }

    [SkippableFact]
    public async Task Series_and_study_conditions_combine_with_and_and_or()
    {
        await CorpusAsync();
        // Either pelvis code matches (CHAIMELEON knows only 816092008), OR an age between 65 and 75: studies 2 and 3, one subject.
        var pelvisOrOlder = Tree("OR",
            Condition("SNOMEDCT123037004", "EQUALS", "SNOMEDCT12921003"),
            Condition("SNOMEDCT423493009", "BETWEEN", new JsonObject { ["min"] = 65, ["max"] = 75 }));
        Assert.Equal((2, 1), Counts(await SearchAsync(pelvisOrOlder)));

        // CT and General Electric: only the PET/CT study.
        var ctByGe = Tree("AND", Condition("RID10311", "IN", new JsonArray("RID10321")), Condition("C25392", "EQUALS", "birnlex_12833"));
        Assert.Equal((1, 1), Counts(await SearchAsync(ctByGe)));

        // Lung cancer diagnosed before 2020, or a study whose sex is unknown.
        var lungOrUnknown = Tree("OR",
            Tree("AND", Condition("SNOMEDCT439401001", "EQUALS", "SNOMEDCT363358000"), Condition("SNOMEDCT432213005", "LOWER_THAN", 2020)),
            Condition("SNOMEDCT263495000", "EQUALS", "SNOMEDCT261665006"));
        Assert.Equal((3, 2), Counts(await SearchAsync(lungOrUnknown)));

        Assert.Equal((4, 2), Counts(await SearchAsync(Tree("AND"))));
        Assert.Empty((await SearchAsync(Condition("RID10311", "EQUALS", "RID10334"))).GetProperty("collections").EnumerateArray());
    }

    /// <summary>
    /// The request exactly as EUCAIM's federated search builds it, not a shape of ours. Sources (GitHub):
    /// samply/lens packages/lib/src/helpers/ast-transformer.ts (buildAstFromQuery / returnNestedValues: OR of query
    /// groups, AND of criteria, then per criterion a node carrying both "key" and "operand": "OR" over its leaves; leaves
    /// {key, type, system: "", value}; the empty query is {"operand": "OR", "children": []});
    /// samply/lens packages/lib/src/components/catalogue/NumberInputComponent.svelte (a number range is {min, max} with
    /// null for the end left empty); samply/eucaim-frontend src/services/backend.service.ts (the body is
    /// {"ast": AST, "id": "&lt;uuid&gt;__search__&lt;uuid&gt;"}) and static/catalogues/catalogue-eucaim.json (the keys,
    /// codes and types: gender EQUALS, age at diagnosis BETWEEN). The answer is checked field by field as
    /// samply/eucaim-frontend src/components/EucaimResultTable.svelte and src/Types/types.ts read each collection.
    /// </summary>
    [SkippableFact]
    public async Task The_federated_search_request_as_EUCAIM_builds_it_is_answered_with_the_fields_its_table_reads()
    {
        var corpus = await CorpusAsync();
        const string Lens = """
            {
              "ast": {
                "operand": "OR",
                "children": [
                  {
                    "operand": "AND",
                    "children": [
                      {
                        "key": "SNOMEDCT263495000",
                        "operand": "OR",
                        "children": [
                          { "key": "SNOMEDCT263495000", "type": "EQUALS", "system": "", "value": "SNOMEDCT248153007" },
                          { "key": "SNOMEDCT263495000", "type": "EQUALS", "system": "", "value": "SNOMEDCT248152002" }
                        ]
                      },
                      {
                        "key": "SNOMEDCT423493009",
                        "operand": "OR",
                        "children": [
                          { "key": "SNOMEDCT423493009", "type": "BETWEEN", "system": "", "value": { "min": 65, "max": null } }
                        ]
                      }
                    ]
                  }
                ]
              },
              "id": "3f0c5e7a-2b1d-4c8e-9a6f-1d2e3f4a5b6c__search__3f0c5e7a-2b1d-4c8e-9a6f-1d2e3f4a5b6c"
            }
            """;
        using var response = await PostAsync(Lens, "Secret " + ServiceFixture.EucaimSecret);
        var answer = await response.JsonAsync();

        // Male or female, aged 65 or more: only the 70-year-old woman's study.
        var collection = Assert.Single(answer.GetProperty("collections").EnumerateArray());
        Assert.Equal(corpus.Published, collection.GetProperty("id").GetString());
        Assert.Equal(corpus.PublishedName, collection.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Number, collection.GetProperty("studies_count").ValueKind);
        Assert.Equal(1, collection.GetProperty("studies_count").GetInt32());
        Assert.Equal(1, collection.GetProperty("subjects_count").GetInt32());
        Assert.Equal(60, collection.GetProperty("age_range").GetProperty("min").GetInt32());
        Assert.Equal(70, collection.GetProperty("age_range").GetProperty("max").GetInt32());
        Assert.Equal<string>(["Male", "Female", "Unknown"], Strings(collection.GetProperty("gender")));
        Assert.Equal<string>(["CT", "PT", "MR"], Strings(collection.GetProperty("modality")));
        Assert.Equal<string>(["LUNG", "BREAST", "PELVIS"], Strings(collection.GetProperty("body_parts")));
        Assert.Equal("A test dataset.", collection.GetProperty("description").GetString());

        // The empty query as Lens sends it finds every study of the published dataset.
        const string Empty = """{"ast": {"operand": "OR", "children": []}, "id": "0b1c__search__0b1c"}""";
        using var all = await PostAsync(Empty, "Secret " + ServiceFixture.EucaimSecret);
        Assert.Equal((4, 2), Counts(await all.JsonAsync()));

        // One-sided ranges the other way round: at most 65 years, and a year of diagnosis from 2020 with no upper end.
        Assert.Equal((2, 1), Counts(await SearchAsync(Condition("SNOMEDCT423493009", "BETWEEN", new JsonObject { ["min"] = null, ["max"] = 65 }))));
        Assert.Equal((1, 1), Counts(await SearchAsync(Condition("SNOMEDCT432213005", "BETWEEN", new JsonObject { ["min"] = 2020, ["max"] = null }))));
    }

    public static TheoryData<string, string, string> MalformedTrees => new()
    {
        { "no ast", """{"id": "q1"}""", "Missing property 'ast'" },
        { "ast not an object", """{"ast": [1], "id": "q1"}""", "'ast' must be a JSON object" },
        { "an unknown operand", """{"ast": {"operand": "XOR", "children": []}}""", "'operand' must be" },
        { "children missing", """{"ast": {"operand": "AND"}}""", "missing 'children'" },
        { "a node neither operation nor condition", """{"ast": {"operand": "AND", "children": [{"foo": 1}]}}""", "missing 'operand' or 'key'" },
        { "an unknown key", """{"ast": {"key": "SNOMEDCT0000", "type": "EQUALS", "value": "x"}}""", "unknown key 'SNOMEDCT0000'" },
        { "an unknown code", """{"ast": {"key": "RID10311", "type": "EQUALS", "value": "RID99999"}}""", "unknown value 'RID99999'" },
        { "an unknown type", """{"ast": {"key": "RID10311", "type": "LIKE", "value": "RID10321"}}""", "unknown type 'LIKE'" },
        { "a range on codes", """{"ast": {"key": "RID10311", "type": "BETWEEN", "value": {"min": 1, "max": 2}}}""", "is not a comparison of codes" },
        { "a text for an age", """{"ast": {"key": "SNOMEDCT423493009", "type": "GREATER_THAN", "value": "sixty"}}""", "must be a number" },
        { "a range without max", """{"ast": {"key": "SNOMEDCT423493009", "type": "BETWEEN", "value": {"min": 60}}}""", "missing 'max'" },
        { "a range of two nulls", """{"ast": {"key": "SNOMEDCT423493009", "type": "BETWEEN", "value": {"min": null, "max": null}}}""", "both null" },
        { "LOWER_THAN on a range open above", """{"ast": {"key": "SNOMEDCT423493009", "type": "LOWER_THAN", "value": {"min": 60, "max": null}}}""", "no 'max'" },
        { "a range upside down", """{"ast": {"key": "SNOMEDCT423493009", "type": "BETWEEN", "value": {"min": 70, "max": 60}}}""", "'min' is greater than 'max'" },
        { "IN with a number", """{"ast": {"key": "SNOMEDCT263495000", "type": "IN", "value": ["SNOMEDCT248153007", 3]}}""", "array of strings" },
        { "no value", """{"ast": {"key": "SNOMEDCT263495000", "type": "EQUALS"}}""", "missing 'value'" },
    };

    [SkippableTheory]
    [MemberData(nameof(MalformedTrees))]
    public async Task A_malformed_tree_is_a_422_naming_the_reason_and_changes_nothing(string what, string body, string reason)
    {
        var corpus = await CorpusAsync();
        var before = await StateAsync(corpus);

        using var response = await PostAsync(body, "Secret " + ServiceFixture.EucaimSecret);
        var detail = await response.ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(detail.Contains(reason, StringComparison.Ordinal), $"{what}: '{detail}' does not say '{reason}'");

        Assert.Equal(before, await StateAsync(corpus));
    }

    [SkippableFact]
    public async Task Bad_json_and_the_wrong_secret_are_refused_and_change_nothing()
    {
        var corpus = await CorpusAsync();
        var before = await StateAsync(corpus);
        var tree = Tree("AND").ToJsonString();

        using (var response = await PostAsync("{\"ast\": {", "Secret " + ServiceFixture.EucaimSecret)) await response.ProblemAsync(HttpStatusCode.BadRequest);
        using (var response = await PostAsync(tree, null)) await response.ProblemAsync(HttpStatusCode.Unauthorized);
        using (var response = await PostAsync(tree, "Secret not-the-secret")) await response.ProblemAsync(HttpStatusCode.Unauthorized);
        using (var response = await PostAsync(tree, "Bearer " + ServiceFixture.EucaimSecret)) await response.ProblemAsync(HttpStatusCode.Unauthorized);
        using (var response = await PostAsync(tree, "Secret " + ServiceFixture.EucaimSecret, "text/plain")) await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal(before, await StateAsync(corpus));
    }

    [SkippableFact]
    public void Without_a_configured_token_the_search_does_not_exist()
    {
        var service = new EucaimSearchService(null!, new EucaimSearchRepository(), Options.Create(new ServiceOptions()));
        var problem = Assert.Throws<ServiceProblemException>(() => service.Authorize("Secret anything"));
        Assert.Equal(404, problem.Status);
    }

    private sealed record Corpus(string Published, string PublishedName, string Invalidated, string Released);

    /// <summary>
    /// Four studies of two subjects in a published dataset, plus the same studies in an invalidated and in a released
    /// (unpublished) dataset that must never be found. The studies' facts are written as the creation pipeline writes them.
    /// </summary>
    private Task<Corpus> CorpusAsync()
    {
        fixture.Require();
        return fixture.SharedAsync("eucaim corpus", async () =>
        {
            using var admin = fixture.Client("eucaim-admin", "admin_projects,superadmin_datasets", "PROJECT-EUC");
            var project = new JsonObject { ["name"] = "EUCAIM", ["shortDescription"] = "", ["projectConfig"] = new JsonObject() };
            await admin.SendJsonAsync(HttpMethod.Put, "api/projects/EUC", project.ToJsonString()).ExpectAsync(HttpStatusCode.Created);

            var name = Api.Unique("Searchable");
            var published = await CreateAsync(admin, name, publish: true);
            var invalidated = await CreateAsync(admin, Api.Unique("Invalidated"), publish: true);
            await admin.PatchAsync(invalidated, "invalidated", true).ExpectAsync(HttpStatusCode.NoContent);
            var released = await CreateAsync(admin, Api.Unique("Released"), publish: false);
            return new Corpus(published, name, invalidated, released);
        });
    }

    private async Task<string> CreateAsync(HttpClient admin, string name, bool publish)
    {
        var id = await admin.CreateDatasetAsync(Api.NewDataset(name, "EUC", studies: 4));
        StudyMetadata[] facts =
        [
            new() { Sex = "M", Age = new PatientAge(60, AgeUnit.Years), Diagnosis = "Lung cancer", DiagnosisYear = 2019, Modalities = ["CT"], BodyParts = ["LUNG"], Manufacturers = ["Siemens"] },
            new() { Sex = "M", Age = new PatientAge(60, AgeUnit.Years), Diagnosis = "Lung cancer", DiagnosisYear = 2019, Modalities = ["PT", "CT"], BodyParts = ["LUNG"], Manufacturers = ["General Electric"] },
            new() { Sex = "F", Age = new PatientAge(70, AgeUnit.Years), Diagnosis = "Breast cancer", DiagnosisYear = 2021, Modalities = ["MR"], BodyParts = ["BREAST"], Manufacturers = ["Philips"] },
            new() { Modalities = ["MR"], BodyParts = ["PELVIS"], Manufacturers = ["Siemens"] },
        ];
        var database = fixture.App.Services.GetRequiredService<Database>();
        await database.InTransactionAsync(async session =>
        {
            for (var i = 0; i < facts.Length; i++)
            {
                await session.ExecuteAsync("UPDATE studies SET metadata = @m WHERE dataset_id = @d AND study_id = @s", CancellationToken.None,
                    ("@m", StudyMetadataJson.Write(facts[i])), ("@d", id), ("@s", $"study-{i}"));
            }

            return 0;
        }, CancellationToken.None);

        await admin.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        if (publish) await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        return id;
    }

    /// <summary>The three datasets as a reader sees them, to compare before and after.</summary>
    private async Task<string> StateAsync(Corpus corpus)
    {
        using var admin = fixture.Client("eucaim-admin", "admin_projects,superadmin_datasets", "PROJECT-EUC");
        var state = new StringBuilder();
        foreach (var id in new[] { corpus.Published, corpus.Invalidated, corpus.Released })
        {
            state.Append(await admin.GetStringAsync($"api/datasets/{id}")).Append(await admin.GetStringAsync($"api/datasets/{id}/studies?limit=10"));
        }

        return state.Append((await SearchAsync(Tree("AND"))).GetRawText()).ToString();
    }

    private async Task<JsonElement> SearchAsync(JsonNode ast)
    {
        var body = new JsonObject { ["ast"] = ast, ["id"] = Guid.NewGuid().ToString() };
        using var response = await PostAsync(body.ToJsonString(), "Secret " + ServiceFixture.EucaimSecret);
        return await response.JsonAsync();
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? authorization, string contentType = "application/json")
    {
        using var client = fixture.Client(null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/datasets/eucaimSearch") { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request);
    }

    private static (int Studies, int Subjects) Counts(JsonElement answer)
    {
        var collection = Assert.Single(answer.GetProperty("collections").EnumerateArray());
        return (collection.GetProperty("studies_count").GetInt32(), collection.GetProperty("subjects_count").GetInt32());
    }

    private static JsonObject Tree(string operand, params JsonNode[] children) =>
        new() { ["operand"] = operand, ["children"] = new JsonArray(children) };

    private static JsonObject Condition(string key, string type, JsonNode value) =>
        new() { ["key"] = key, ["type"] = type, ["value"] = value };

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "(null)")];
}

public sealed class EucaimSearchOnSqliteTests(DevelopmentServiceFixture fixture) : EucaimSearchTests(fixture), IClassFixture<DevelopmentServiceFixture>;

public sealed class EucaimSearchOnPostgresTests(DevelopmentPostgresServiceFixture fixture) : EucaimSearchTests(fixture), IClassFixture<DevelopmentPostgresServiceFixture>;
