using System.Net;
using System.Text;
using System.Text.Json;
using ImagingRepo.Service.Tests.Infrastructure;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Service.Tests.Traces;

/// <summary>
/// The tracer API over real HTTP: V1 requests recorded and read back in the CHAIMELEON tracer's envelopes (by id, and
/// listed with its filters and skipTraces/limitTraces), v2 requests and pages as the EUCAIM service serves them, user
/// ids stored as pseudonyms yet found by the id a caller knows, the proof of an anchored trace, and the refusals.
/// </summary>
public sealed class TracesEndpointsTests(DevelopmentServiceFixture fixture) : IClassFixture<DevelopmentServiceFixture>
{
    private const string Writer = "trace_writer";

    [SkippableFact]
    public async Task A_v1_request_is_recorded_with_a_pseudonym_and_read_back_in_the_tracer_envelope()
    {
        fixture.Require();
        using var writer = fixture.Client("dataset-service", Writer);
        var dataset = Guid.NewGuid().ToString();
        var created = await PostV1Async(writer, CreateRequest("alice", dataset));

        var entry = Assert.Single(created.EnumerateArray());
        Assert.Equal("WAITING", entry.GetProperty("status").GetString());
        Assert.Equal("IMAGINGREPO_LEDGER", entry.GetProperty("blockchainType").GetString());
        Assert.Equal("dataset-service", entry.GetProperty("callerUserId").GetString());
        var traceId = entry.GetProperty("traceId").GetString()!;

        using var reader = fixture.Client("reader", "use_datasets");
        var found = TracerWireSerializer.ReadV1TraceById(await reader.GetByteArrayAsync($"api/v1/traces/{traceId}"));
        var stored = Assert.Single(found);
        Assert.Equal("IMAGINGREPO_LEDGER", stored.Blockchain);
        var trace = Assert.IsType<CreateDatasetTrace>(stored.Trace!.Trace);
        Assert.Equal(traceId, stored.Trace.Id);
        Assert.Equal(dataset, trace.DatasetId);
        Assert.Equal("dataset-service", trace.CallerId);
        Assert.True(UserPseudonymizer.IsPseudonym(trace.UserId), trace.UserId);
        Assert.Equal(["index", "images"], trace.TraceResources.Select(r => r.Id));

        var unknown = TracerWireSerializer.ReadV1TraceById(await reader.GetByteArrayAsync($"api/v1/traces/{Guid.NewGuid()}"));
        Assert.Null(Assert.Single(unknown).Trace);
    }

    [SkippableFact]
    public async Task The_v1_list_filters_by_user_dataset_and_action_and_pages_newest_first()
    {
        fixture.Require();
        using var writer = fixture.Client("dataset-service", Writer);
        var dataset = Guid.NewGuid().ToString();
        await PostV1Async(writer, CreateRequest("bob", dataset));
        foreach (var details in new[] { "RELEASE", "PUBLISH", "UNPUBLISH" })
        {
            await PostV1Async(writer, $$"""{"userId": "bob", "userAction": "UPDATE_DATASET", "datasetId": "{{dataset}}", "details": "{{details}}"}""");
        }

        await PostV1Async(writer, $$"""{"userId": "carol", "userAction": "UPDATE_DATASET", "datasetId": "{{dataset}}", "details": "INVALIDATE"}""");

        using var reader = fixture.Client("reader", "use_datasets");
        var all = await ListV1Async(reader, $"datasetId={dataset}&limitTraces=10");
        Assert.Equal(5, all.CountAllTraces);
        Assert.Equal(["INVALIDATE", "UNPUBLISH", "PUBLISH", "RELEASE", null], all.Traces.Select(t => t.Details));

        // The tracer lower-cases userId filters; the plain id is found through its pseudonym.
        var bobs = await ListV1Async(reader, $"datasetId={dataset}&userId=BOB&userAction=UPDATE_DATASET&skipTraces=1&limitTraces=1");
        Assert.Equal(3, bobs.CountAllTraces);
        Assert.Equal("PUBLISH", Assert.Single(bobs.Traces).Details);

        var either = await ListV1Async(reader, $"datasetId={dataset}&userId=bob&userId=carol&userAction=CREATE_DATASET&userAction=UPDATE_DATASET");
        Assert.Equal(5, either.CountAllTraces);
        Assert.Equal(5, either.Traces.Count);

        var defaults = await ListV1Async(reader, $"datasetId={dataset}");
        Assert.Equal(5, defaults.Traces.Count);
        var byCaller = await ListV1Async(reader, $"datasetId={dataset}&callerUserId=someone-else");
        Assert.Equal(0, byCaller.CountAllTraces);

        var elsewhere = TracerWireSerializer.ReadV1TraceList(await reader.GetByteArrayAsync($"api/v1/traces?datasetId={dataset}&blockchain=BESU_PRIVATE"));
        Assert.Empty(elsewhere);
    }

    [SkippableFact]
    public async Task A_v2_request_is_recorded_and_read_as_the_eucaim_service_serves_it()
    {
        fixture.Require();
        using var writer = fixture.Client("operator", "admin_datasetAccess");
        var dataset = Guid.NewGuid().ToString();
        var body = $$"""{"userId": "dave", "userAction": "USE_DATASETS", "datasetsIds": ["{{dataset}}"], "toolName": "jupyter", "toolVersion": "4.1"}""";
        using var response = await writer.PostAsync("api/v2/traces", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = TracerV2Mapper.ReadCreatedId(await response.Content.ReadAsByteArrayAsync());

        using var reader = fixture.Client("reader", "use_datasets");
        var trace = TracerWireSerializer.ReadV2Trace(await reader.GetByteArrayAsync($"api/v2/traces/{id}"));
        var use = Assert.IsType<UseDatasetsTrace>(trace.Trace);
        Assert.Equal([dataset], use.DatasetsIds);
        Assert.Equal("jupyter", use.Tool!.Name);

        var page = TracerWireSerializer.ReadV2TracePage(await reader.GetByteArrayAsync($"api/v2/traces?datasetId={dataset}&skip=0&limit=10"));
        Assert.Equal(1, page.Total);
        Assert.Equal(id.ToString("D"), Assert.Single(page.Data).Id);
    }

    [SkippableFact]
    public async Task An_anchored_trace_has_a_proof_that_verifies()
    {
        fixture.Require();
        using var writer = fixture.Client("dataset-service", Writer);
        var created = await PostV1Async(writer, CreateRequest("erin", Guid.NewGuid().ToString()));
        var traceId = Guid.Parse(created[0].GetProperty("traceId").GetString()!);

        var store = await fixture.FlushTracesAsync();
        // The dispatcher anchors in the background (a batch window of a second); wait for it, at most a minute.
        for (var i = 0; i < 300 && (await store.Outbox.GetAsync(traceId))!.Status != TraceStatus.Anchored; i++) await Task.Delay(200);

        using var reader = fixture.Client("reader", "use_datasets");
        var proof = TraceProof.Parse(await reader.GetStringAsync($"api/v1/traces/{traceId}/proof"));
        Assert.Equal(traceId, proof.TraceId);
        Assert.True(proof.VerifyInclusion());
        await (await reader.GetAsync($"api/v1/traces/{Guid.NewGuid()}/proof")).ProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "not JSON", "{\"userId\": " },
        { "no user", """{"userAction": "UPDATE_DATASET", "datasetId": "x", "details": "RELEASE"}""" },
        { "an unknown action", """{"userId": "u", "userAction": "DELETE_EVERYTHING", "datasetId": "x"}""" },
        { "an unknown detail", """{"userId": "u", "userAction": "UPDATE_DATASET", "datasetId": "x", "details": "SHRUG"}""" },
        { "another blockchain", """{"userId": "u", "userAction": "UPDATE_DATASET", "datasetId": "x", "details": "RELEASE", "blockchains": ["BESU_PRIVATE"]}""" },
        { "an array", "[]" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_request_is_a_400_and_records_nothing(string what, string body)
    {
        fixture.Require();
        using var writer = fixture.Client("dataset-service", Writer);
        var before = (await fixture.FlushTracesAsync()).Outbox;
        var count = (await before.CountAsync()).Total;

        using var response = await writer.PostAsync("api/v1/traces", Json(body));
        var detail = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(detail), what);
        Assert.Equal(count, (await before.CountAsync()).Total);
    }

    [SkippableFact]
    public async Task Callers_without_a_token_or_the_writer_role_are_refused()
    {
        fixture.Require();
        var body = CreateRequest("frank", Guid.NewGuid().ToString());
        using var anonymous = fixture.Client(null);
        await (await anonymous.PostAsync("api/v1/traces", Json(body))).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.GetAsync("api/v1/traces")).ProblemAsync(HttpStatusCode.Unauthorized);
        using var user = fixture.Client("user", "use_datasets");
        await (await user.PostAsync("api/v1/traces", Json(body))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await user.PostAsync("api/v2/traces", Json("""{"userId": "u", "userAction": "UPDATE_DATASET", "datasetId": "x", "details": "RELEASE"}"""))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await user.GetAsync("api/v1/traces?userAction=DELETE")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.GetAsync("api/v1/traces?limitTraces=0")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await user.GetAsync("api/v2/traces/not-a-uuid")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private static string CreateRequest(string user, string dataset) => $$"""
        {"userId": "{{user}}", "userAction": "CREATE_DATASET", "datasetId": "{{dataset}}",
         "resources": [{"id": "index", "contentType": "HASH", "hash": "{{Convert.ToBase64String(new byte[32])}}", "hashType": "SHA3_256"},
                       {"id": "images", "contentType": "HASH", "hash": "{{Convert.ToBase64String(Enumerable.Repeat((byte)1, 32).ToArray())}}", "hashType": "SHA3_256"}]}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> PostV1Async(HttpClient client, string body)
    {
        using var response = await client.PostAsync("api/v1/traces", Json(body));
        return await response.JsonAsync();
    }

    private static async Task<TracerV1TracePage> ListV1Async(HttpClient client, string query) =>
        Assert.Single(TracerWireSerializer.ReadV1TraceList(await client.GetByteArrayAsync("api/v1/traces?" + query)));
}
