using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Service.Tests.Pids;

/// <summary>The service with the Zenodo provider, against <see cref="ZenodoStandIn"/>, in development mode on SQLite.</summary>
public sealed class ZenodoServiceFixture : ServiceFixture
{
    public ZenodoStandIn Zenodo { get; } = new();

    public override string StorageName => "SQLite";

    protected override bool UsesOidc => false;

    protected override string? StorageProblem() => null;

    protected override void RequireStorage()
    {
    }

    protected override async Task<IReadOnlyDictionary<string, string?>> StorageSettingsAsync()
    {
        await Zenodo.StartAsync();
        return new Dictionary<string, string?>
        {
            ["ImagingRepo:Service:Pids:Provider"] = "Zenodo",
            ["ImagingRepo:Service:Pids:PublicBaseUrl"] = "https://platform.example/",
            ["ImagingRepo:Service:Pids:Zenodo:BaseUrl"] = Zenodo.BaseUrl.AbsoluteUri,
            ["ImagingRepo:Service:Pids:Zenodo:AccessToken"] = ZenodoStandIn.ConfiguredToken,
            ["ImagingRepo:Service:Pids:Zenodo:RetryDelay"] = "00:00:00.010",
        };
    }

    protected override async Task DropStorageAsync() => await Zenodo.DisposeAsync();
}

/// <summary>
/// Persistent identifiers through Zenodo's deposition API: every request the service sends is checked (method, path,
/// token, JSON body), and a failing Zenodo refuses the change with a problem response and leaves nothing half-done.
/// </summary>
public sealed class ZenodoPidTests(ZenodoServiceFixture fixture) : IClassFixture<ZenodoServiceFixture>
{
    private const string Roles = "admin_projects,admin_datasets,superadmin_datasets";

    [SkippableFact]
    public async Task Publishing_registers_a_doi_with_metadata_only_and_unpublishing_or_invalidating_closes_the_record()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZEN", token: null);
        var name = Api.Unique("Zenodo lifecycle");
        var id = await ReleasedDatasetAsync(admin, "ZEN", name);

        var mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        var published = fixture.Zenodo.RequestsSince(mark);
        Assert.Equal(["POST /api/deposit/depositions", "PUT", "POST"], published.Select((r, i) => i == 0 ? r.ToString() : r.Method));
        var depositionId = long.Parse(published[1].Path.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"/api/deposit/depositions/{depositionId}", published[1].Path);
        Assert.Equal($"/api/deposit/depositions/{depositionId}/actions/publish", published[2].Path);
        Assert.All(published, r => Assert.Equal("Bearer " + ZenodoStandIn.ConfiguredToken, r.Authorization));
        Assert.Empty(Assert.IsType<JsonObject>(published[0].Body)); // metadata only comes with the PUT; no files at all
        Assert.DoesNotContain(fixture.Zenodo.Requests, r => r.Path.Contains("/files", StringComparison.Ordinal));
        var metadata = Assert.IsType<JsonObject>(published[1].Body!["metadata"]);
        Assert.StartsWith("application/json", published[1].ContentType, StringComparison.Ordinal);
        Assert.Equal("dataset", metadata["upload_type"]!.GetValue<string>());
        Assert.Equal(name, metadata["title"]!.GetValue<string>());
        Assert.Equal("Imaging Consortium", metadata["creators"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("open", metadata["access_right"]!.GetValue<string>());
        Assert.Equal("cc-by-4.0", metadata["license"]!.GetValue<string>());
        Assert.Equal("chaimeleon", metadata["communities"]![0]!["identifier"]!.GetValue<string>());
        Assert.Equal("10.13039/501100000780::952172", metadata["grants"]![0]!["id"]!.GetValue<string>());
        Assert.Equal($"https://platform.example/web/datasets/{id}/details", metadata["related_identifiers"]![0]!["identifier"]!.GetValue<string>());
        Assert.Contains(id, metadata["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", metadata["publication_date"]!.GetValue<string>());

        var details = await admin.GetJsonAsync($"api/datasets/{id}");
        Assert.Equal($"https://doi.org/10.5072/zenodo.{depositionId}", details.GetProperty("pids").GetProperty("urls").GetProperty("zenodoDoi").GetString());
        Assert.Equal("zenodoDoi", details.GetProperty("pids").GetProperty("preferred").GetString());

        // Unpublished: edit → PUT closed → publish, on the same deposition.
        mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "public", false).ExpectAsync(HttpStatusCode.NoContent);
        AssertChange(fixture.Zenodo.RequestsSince(mark), depositionId, "closed");

        // Published again: the same record opened again, no second deposition.
        var depositions = fixture.Zenodo.Depositions.Count;
        mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        AssertChange(fixture.Zenodo.RequestsSince(mark), depositionId, "open");
        Assert.Equal(depositions, fixture.Zenodo.Depositions.Count);

        // Invalidated: closed again; the DOI stays with the dataset.
        mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "invalidated", true).ExpectAsync(HttpStatusCode.NoContent);
        AssertChange(fixture.Zenodo.RequestsSince(mark), depositionId, "closed");
        Assert.Equal(DepositionState.Published, fixture.Zenodo.Get(depositionId)!.State);
        Assert.Equal(4, fixture.Zenodo.Get(depositionId)!.Publications);
        Assert.Equal($"https://doi.org/10.5072/zenodo.{depositionId}",
            (await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("pids").GetProperty("urls").GetProperty("zenodoDoi").GetString());
    }

    [SkippableFact]
    public async Task A_project_with_its_own_token_uses_it_and_a_pid_asked_for_before_publication_is_closed()
    {
        fixture.Require();
        fixture.Zenodo.AcceptedTokens["project-own-token"] = true;
        using var admin = await ProjectAsync("ZENOWN", token: "project-own-token");
        var id = await ReleasedDatasetAsync(admin, "ZENOWN", Api.Unique("Own token"));

        var mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "pids", new { preferred = "zenodoDoi" }).ExpectAsync(HttpStatusCode.NoContent);
        var requests = fixture.Zenodo.RequestsSince(mark);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer project-own-token", r.Authorization));
        Assert.Equal("closed", requests[1].Body!["metadata"]!["access_right"]!.GetValue<string>());
        Assert.Null(requests[1].Body!["metadata"]!["license"]);
        var pids = (await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("pids");
        Assert.Equal("zenodoDoi", pids.GetProperty("preferred").GetString());
        Assert.StartsWith("https://doi.org/10.5072/zenodo.", pids.GetProperty("urls").GetProperty("zenodoDoi").GetString(), StringComparison.Ordinal);
        Assert.False((await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());
    }

    [SkippableFact]
    public async Task Zenodo_failing_on_publish_refuses_the_publication_and_leaves_nothing_half_done()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENFAIL", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENFAIL", Api.Unique("Zenodo down"));
        var before = (await admin.GetJsonAsync($"api/datasets/{id}")).GetRawText();

        fixture.Zenodo.FailNext("POST", "/actions/publish", 500, """{"status": 500, "message": "Internal server error."}""");
        var mark = fixture.Zenodo.Requests.Count;
        var detail = await (await admin.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.BadGateway);
        Assert.Contains("Zenodo refused to publish the deposition (500)", detail, StringComparison.Ordinal);

        var requests = fixture.Zenodo.RequestsSince(mark);
        // create, metadata, one publish (a POST is never repeated), then the draft deposition is deleted again
        Assert.Equal(["POST", "PUT", "POST", "DELETE"], requests.Select(r => r.Method));
        var depositionId = long.Parse(requests[1].Path.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"/api/deposit/depositions/{depositionId}", requests[3].Path);
        Assert.Null(fixture.Zenodo.Get(depositionId));

        Assert.Equal(before, (await admin.GetJsonAsync($"api/datasets/{id}")).GetRawText());
        var store = await fixture.FlushTracesAsync();
        var traces = await store.Outbox.ListAsync(new TraceListQuery(DatasetId: id, Limit: 100));
        Assert.DoesNotContain(traces, r => r.Trace is UpdateDatasetTrace { Details: TraceUpdateDetails.Publish });
    }

    [SkippableFact]
    public async Task A_validation_error_from_Zenodo_surfaces_its_message_and_changes_nothing()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENBAD", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENBAD", Api.Unique("Refused"));
        fixture.Zenodo.FailNext("PUT", "", 400,
            """{"status": 400, "message": "Validation error.", "errors": [{"field": "metadata.creators", "message": "Missing data for required field."}]}""");
        var detail = await (await admin.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Validation error. metadata.creators: Missing data for required field.", detail, StringComparison.Ordinal);
        var details = await admin.GetJsonAsync($"api/datasets/{id}");
        Assert.False(details.GetProperty("public").GetBoolean());
        Assert.Equal(JsonValueKind.Null, details.GetProperty("pids").GetProperty("urls").GetProperty("zenodoDoi").ValueKind);
        Assert.DoesNotContain(fixture.Zenodo.Depositions, d => d.State == DepositionState.Draft);
    }

    [SkippableFact]
    public async Task A_transient_failure_of_the_metadata_put_is_retried()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENRETRY", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENRETRY", Api.Unique("Retried"));
        fixture.Zenodo.FailNext("PUT", "", 503, """{"status": 503, "message": "Service unavailable."}""");
        var mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(["POST", "PUT", "PUT", "POST"], fixture.Zenodo.RequestsSince(mark).Select(r => r.Method));
        Assert.True((await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());
    }

    [SkippableFact]
    public async Task Zenodo_failing_on_unpublish_keeps_the_dataset_public_and_discards_the_edit()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENKEEP", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENKEEP", Api.Unique("Kept public"));
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);

        fixture.Zenodo.FailNext("POST", "/actions/publish", 502, """{"status": 502, "message": "Bad gateway."}""");
        var mark = fixture.Zenodo.Requests.Count;
        await (await admin.PatchAsync(id, "public", false)).ProblemAsync(HttpStatusCode.BadGateway);
        var requests = fixture.Zenodo.RequestsSince(mark);
        Assert.Equal(["edit", "PUT", "publish", "discard"], requests.Select(r => r.Method == "PUT" ? "PUT" : r.Path.Split('/').Last()));
        var depositionId = long.Parse(requests[1].Path.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(DepositionState.Published, fixture.Zenodo.Get(depositionId)!.State);
        Assert.True((await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());
    }

    /// <summary>
    /// The answer to <c>POST /api/deposit/depositions</c> as Zenodo's developer documentation prints it
    /// (zenodo/developers.zenodo.org, source/includes/overview/_quickstart.md; https://developers.zenodo.org/#quickstart-upload).
    /// </summary>
    private const string DocumentedCreateAnswer = """
        {
            "conceptrecid": "542200",
            "created": "2020-05-19T11:58:41.606998+00:00",
            "files": [],
            "id": 542201,
            "links": {
                "bucket": "https://zenodo.org/api/files/568377dd-daf8-4235-85e1-a56011ad454b",
                "discard": "https://zenodo.org/api/deposit/depositions/542201/actions/discard",
                "edit": "https://zenodo.org/api/deposit/depositions/542201/actions/edit",
                "files": "https://zenodo.org/api/deposit/depositions/542201/files",
                "html": "https://zenodo.org/deposit/542201",
                "latest_draft": "https://zenodo.org/api/deposit/depositions/542201",
                "latest_draft_html": "https://zenodo.org/deposit/542201",
                "publish": "https://zenodo.org/api/deposit/depositions/542201/actions/publish",
                "self": "https://zenodo.org/api/deposit/depositions/542201"
            },
            "metadata": {
                "prereserve_doi": {
                    "doi": "10.5072/zenodo.542201",
                    "recid": 542201
                }
            },
            "modified": "2020-05-19T11:58:41.607012+00:00",
            "owner": 12345,
            "record_id": 542201,
            "state": "unsubmitted",
            "submitted": false,
            "title": ""
        }
        """;

    [SkippableFact]
    public async Task Zenodo_s_documented_deposition_answer_is_read_and_the_deposition_it_names_is_published()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENDOC", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENDOC", Api.Unique("Documented answer"));
        fixture.Zenodo.AnswerNextCreateWith(DocumentedCreateAnswer);
        var mark = fixture.Zenodo.Requests.Count;
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(
            ["POST /api/deposit/depositions", "PUT /api/deposit/depositions/542201", "POST /api/deposit/depositions/542201/actions/publish"],
            fixture.Zenodo.RequestsSince(mark).Select(r => r.ToString()));
        Assert.Equal("https://doi.org/10.5072/zenodo.542201",
            (await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("pids").GetProperty("urls").GetProperty("zenodoDoi").GetString());
    }

    [SkippableFact]
    public async Task The_stand_in_answers_a_creation_with_the_fields_of_Zenodo_s_documented_answer()
    {
        fixture.Require();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Zenodo.BaseUrl, "deposit/depositions"))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ZenodoStandIn.ConfiguredToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var documented = JsonNode.Parse(DocumentedCreateAnswer)!.AsObject();
        Assert.Equal(documented.Select(p => p.Key).Order(StringComparer.Ordinal), answer.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(documented["links"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal),
            answer["links"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(documented["metadata"]!["prereserve_doi"]!.AsObject().Select(p => p.Key), answer["metadata"]!["prereserve_doi"]!.AsObject().Select(p => p.Key));
        Assert.Equal("unsubmitted", answer["state"]!.GetValue<string>());
        using (var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri(fixture.Zenodo.BaseUrl, $"deposit/depositions/{answer["id"]!.GetValue<long>()}")))
        {
            delete.Headers.Authorization = request.Headers.Authorization;
            using var deleted = await http.SendAsync(delete);
            Assert.True(deleted.IsSuccessStatusCode); // the other tests find no draft left behind
        }

        // overview/_api-basics.md: POST and PUT bodies must be application/json, else 415.
        using var wrongType = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Zenodo.BaseUrl, "deposit/depositions"))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"),
        };
        wrongType.Headers.Authorization = request.Headers.Authorization;
        using var refused = await http.SendAsync(wrongType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
    }

    /// <summary>The validation error example of Zenodo's documentation (zenodo/developers.zenodo.org, source/includes/overview/_api-basics.md, "Errors").</summary>
    [SkippableFact]
    public async Task Zenodo_s_documented_validation_error_is_reported_with_its_field()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENDOCERR", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENDOCERR", Api.Unique("Documented error"));
        fixture.Zenodo.FailNext("PUT", "", 400, """
            {
                "message": "Validation error",
                "status": 400,
                "errors": [
                    {"code": 10, "message":"Not a valid choice", "field": "access_right"}
                ]
            }
            """);
        var detail = await (await admin.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Validation error access_right: Not a valid choice", detail, StringComparison.Ordinal);
        Assert.False((await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());
    }

    /// <summary>
    /// The field errors of InvenioRDM, which Zenodo runs on since 2023: <c>{field: &lt;fieldpath&gt;, messages: &lt;error msg
    /// array&gt;}</c> (inveniosoftware/invenio-rdm-records, services/errors.py, ValidationErrorWithMessageAsList) under
    /// <c>"A validation error occurred."</c> (the message react-invenio-forms tests for).
    /// </summary>
    [SkippableFact]
    public async Task A_validation_error_in_InvenioRDM_s_shape_is_reported_with_its_messages()
    {
        fixture.Require();
        using var admin = await ProjectAsync("ZENRDMERR", token: null);
        var id = await ReleasedDatasetAsync(admin, "ZENRDMERR", Api.Unique("RDM error"));
        fixture.Zenodo.FailNext("PUT", "", 400,
            """{"status": 400, "message": "A validation error occurred.", "errors": [{"field": "metadata.creators", "messages": ["Missing data for required field."]}]}""");
        var detail = await (await admin.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("A validation error occurred. metadata.creators: Missing data for required field.", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://creativecommons.org/licenses/by/4.0/", "cc-by-4.0")]
    [InlineData("https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode", "cc-by-nc-sa-4.0")]
    [InlineData("https://creativecommons.org/licenses/by-nd/2.5/", "cc-by-nd-2.5")]
    [InlineData("https://creativecommons.org/publicdomain/zero/1.0/", "cc0-1.0")]
    [InlineData("https://creativecommons.org/publicdomain/mark/1.0/", null)]
    [InlineData("https://creativecommons.org/licenses/by/5.0/", null)]
    [InlineData("https://opensource.org/licenses/MIT", null)]
    public void Licences_map_only_to_ids_Zenodo_knows(string url, string? expected) =>
        Assert.Equal(expected, ImagingRepo.Service.Pids.ZenodoPidProvider.ZenodoLicense(url));

    [Theory]
    [InlineData("10.13039/501100000780::952172", "10.13039/501100000780::952172")]
    [InlineData("10.13039/100000002::R01CA000000", "10.13039/100000002::R01CA000000")]
    [InlineData("952172", "10.13039/501100000780::952172")]
    public void Grants_go_to_Zenodo_with_their_funder(string configured, string sent) =>
        Assert.Equal(sent, ImagingRepo.Service.Pids.ZenodoPidProvider.ZenodoGrant(configured));

    private static void AssertChange(IReadOnlyList<RecordedRequest> requests, long depositionId, string access)
    {
        Assert.Equal(
            [$"POST /api/deposit/depositions/{depositionId}/actions/edit", $"PUT /api/deposit/depositions/{depositionId}",
             $"POST /api/deposit/depositions/{depositionId}/actions/publish"],
            requests.Select(r => r.ToString()));
        Assert.All(requests, r => Assert.Equal("Bearer " + ZenodoStandIn.ConfiguredToken, r.Authorization));
        Assert.Equal(access, requests[1].Body!["metadata"]!["access_right"]!.GetValue<string>());
    }

    private async Task<HttpClient> ProjectAsync(string code, string? token)
    {
        var admin = fixture.Client("zen-" + code.ToLowerInvariant(), Roles, "PROJECT-" + code);
        var config = new JsonObject
        {
            ["defaultContactInfo"] = "Imaging team (imaging@example.org)",
            ["defaultLicense"] = new JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
            ["zenodoAuthor"] = "Imaging Consortium",
            ["zenodoCommunity"] = "chaimeleon",
            ["zenodoGrant"] = "10.13039/501100000780::952172",
        };
        if (token is not null) config["zenodoAccessToken"] = token;
        var project = new JsonObject { ["name"] = $"Project {code}", ["shortDescription"] = "", ["projectConfig"] = config };
        await admin.SendJsonAsync(HttpMethod.Put, $"api/projects/{code}", project.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        return admin;
    }

    private static async Task<string> ReleasedDatasetAsync(HttpClient admin, string project, string name)
    {
        var id = await admin.CreateDatasetAsync(Api.NewDataset(name, project));
        await admin.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        return id;
    }
}

/// <summary>The embedded default: no registry, no DOI; asking for a Zenodo DOI is refused.</summary>
public sealed class LocalPidTests(DevelopmentServiceFixture fixture) : IClassFixture<DevelopmentServiceFixture>
{
    [SkippableFact]
    public async Task Publishing_with_the_local_provider_mints_no_doi_and_a_zenodo_doi_cannot_be_preferred()
    {
        fixture.Require();
        using var admin = fixture.Client("local-admin", "admin_projects,admin_datasets,superadmin_datasets", "PROJECT-LOCAL");
        var project = new JsonObject { ["name"] = "Local", ["shortDescription"] = "", ["projectConfig"] = new JsonObject() };
        await admin.SendJsonAsync(HttpMethod.Put, "api/projects/LOCAL", project.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        var id = await admin.CreateDatasetAsync(Api.NewDataset(Api.Unique("Local pid"), "LOCAL"));
        await admin.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        var pids = (await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("pids");
        Assert.Equal(JsonValueKind.Null, pids.GetProperty("urls").GetProperty("zenodoDoi").ValueKind);
        Assert.Equal(JsonValueKind.Null, pids.GetProperty("preferred").ValueKind);
        await (await admin.PatchAsync(id, "pids", new { preferred = "zenodoDoi" })).ProblemAsync(HttpStatusCode.Conflict);
        await admin.PatchAsync(id, "pids", new { preferred = "custom", urls = new { custom = "https://example.org/datasets/1" } }).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal("custom", (await admin.GetJsonAsync($"api/datasets/{id}")).GetProperty("pids").GetProperty("preferred").GetString());
    }
}
