using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Traces;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Tests.Traces;

/// <summary>
/// <see cref="TracesClient"/> in both tracer dialects. Neither the CHAIMELEON tracer (Java, Besu) nor the EUCAIM tracing
/// service can run here, so a loopback HTTP server answers with the golden documents of the tracer-compatibility
/// fixtures (tests/ImagingRepo.Tracing.Tests/Compatibility/Fixtures) and records what the client sent.
/// </summary>
public sealed class TracesClientTests
{
    private const string Dataset = "6a2b0e4c-1d3f-4a5b-9c8d-7e6f5a4b3c2d";
    private const string Pseudonym = "pseud:v2:3f9c2a71d4e85b063f9c2a71d4e85b063f9c2a71d4e85b063f9c2a71d4e85b06";

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ImagingRepo.Tracing.Tests", "Compatibility", "Fixtures", name));

    private static UseDatasetsTrace Use() => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "imagingrepo-tests",
        Timestamp = 1_711_353_070_000,
        UserId = Pseudonym,
        DatasetsIds = [Dataset],
        Tool = new TraceTool("nnunet", "2.1"),
    };

    [Fact]
    public async Task V1_records_the_request_body_of_the_chaimeleon_tracer_with_the_blockchains_asked_for()
    {
        var sent = new ConcurrentQueue<(string Method, string Path, string Body)>();
        await using var tracer = new LoopbackApi(request =>
        {
            sent.Enqueue((request.HttpMethod, request.Url!.PathAndQuery, new StreamReader(request.InputStream, Encoding.UTF8).ReadToEnd()));
            return (200, """[{"blockchain":"BESU_PRIVATE","status":"WAITING"}]""", null);
        });
        var client = new TracesClient(tracer.BaseAddress, null, new TracesClientOptions { Blockchains = ["BESU_PRIVATE"] });
        var trace = Use();

        var submission = await client.RecordAsync(trace);

        var (method, path, body) = Assert.Single(sent);
        Assert.Equal("POST", method);
        Assert.Equal("/api/v1/traces", path);
        Assert.Equal(Encoding.UTF8.GetString(TracerV1Mapper.ToRequest(trace, ["BESU_PRIVATE"])), body);
        using var request = JsonDocument.Parse(body);
        Assert.Equal("nnunet", request.RootElement.GetProperty("toolName").GetString());
        Assert.Null(submission.TraceId);
        Assert.Equal("WAITING", submission.Statuses!.Value[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task V1_reads_a_stored_trace_by_id_and_a_blockchain_without_it()
    {
        await using var tracer = new LoopbackApi(request => request.Url!.AbsolutePath.EndsWith("/missing", StringComparison.Ordinal)
            ? (200, Fixture("v1-by-id-null-trace.json"), null)
            : (200, Fixture("v1-by-id.json"), null));
        var client = new TracesClient(tracer.BaseAddress, null, null);

        var found = Assert.Single(await client.GetV1TraceAsync("e5f60718-293a-4b4c-9d5e-6f708192a3b4"));
        var missing = await client.GetV1TraceAsync("missing");

        Assert.Equal("BESU_PRIVATE", found.Blockchain);
        var use = Assert.IsType<UseDatasetsTrace>(found.Trace!.Trace);
        Assert.Equal([Dataset], use.DatasetsIds);
        Assert.Contains(missing, entry => entry.Trace is null);
    }

    [Fact]
    public async Task V1_lists_page_by_page_with_the_tracers_parameters()
    {
        var summaries = TracerWireSerializer.ReadV1TraceList(Encoding.UTF8.GetBytes(Fixture("v1-list.json")))[0].Traces;
        var queries = new ConcurrentQueue<string>();
        await using var tracer = new LoopbackApi(request =>
        {
            queries.Enqueue(request.Url!.Query);
            var skip = int.Parse(request.QueryString["skipTraces"]!, System.Globalization.CultureInfo.InvariantCulture);
            var limit = int.Parse(request.QueryString["limitTraces"]!, System.Globalization.CultureInfo.InvariantCulture);
            var page = new TracerV1TracePage("BESU_PRIVATE", [.. summaries.Skip(skip).Take(limit)], summaries.Count);
            return (200, Encoding.UTF8.GetString(TracerWireSerializer.WriteV1TraceList([page])), null);
        });
        var client = new TracesClient(tracer.BaseAddress, null, new TracesClientOptions { PageSize = 2 });

        var listed = new List<TracerV1ListedTrace>();
        await foreach (var trace in client.GetV1TracesAsync(new TracerV1Query { DatasetIds = ["a", "b"], UserActions = [TraceUserAction.CreateModel] }))
        {
            listed.Add(trace);
        }

        Assert.Equal(summaries.Select(s => s.Id), listed.Select(l => l.Summary.Id));
        Assert.Equal(3, queries.Count);
        Assert.All(queries, q => Assert.StartsWith("?datasetId=a&datasetId=b&userAction=CREATE_MODEL&skipTraces=", q, StringComparison.Ordinal));
        Assert.Contains(listed, l => l.Summary.UserAction == TraceUserAction.UseModels);
    }

    [Fact]
    public async Task V2_records_reads_the_created_id_and_walks_pages()
    {
        var page = TracerWireSerializer.ReadV2TracePage(Encoding.UTF8.GetBytes(Fixture("v2-page.json")));
        var bodies = new ConcurrentQueue<string>();
        await using var tracer = new LoopbackApi(request =>
        {
            if (request.HttpMethod == "POST")
            {
                bodies.Enqueue(new StreamReader(request.InputStream, Encoding.UTF8).ReadToEnd());
                return (201, Fixture("v2-created.json"), null);
            }

            var skip = int.Parse(request.QueryString["skip"]!, System.Globalization.CultureInfo.InvariantCulture);
            var data = skip < page.Data.Count ? page.Data.Skip(skip).Take(2).ToList() : [];
            return (200, Encoding.UTF8.GetString(TracerWireSerializer.WriteV2TracePage(new TracerV2TracePage(page.Data.Count, skip, 2, data))), null);
        });
        var client = new TracesClient(tracer.BaseAddress, null, new TracesClientOptions { Api = TracerApi.EucaimV2, PageSize = 2 });
        var trace = Use();

        var submission = await client.RecordAsync(trace);
        var read = new List<TracerTrace>();
        await foreach (var t in client.GetV2TracesAsync(Dataset)) read.Add(t);

        Assert.Equal("6d7e8f90-1234-4c56-97e8-f708192a3b4c", submission.TraceId);
        Assert.Equal(Encoding.UTF8.GetString(TracerV2Mapper.ToRequest(trace)), Assert.Single(bodies));
        Assert.Equal(page.Data.Select(t => t.Id), read.Select(t => t.Id));
    }

    [Fact]
    public async Task V2_refuses_a_model_trace_before_sending_and_surfaces_the_tracers_refusal()
    {
        var requests = 0;
        await using var tracer = new LoopbackApi(_ =>
        {
            Interlocked.Increment(ref requests);
            return (422, """{"detail":"toolVersion is required"}""", null);
        });
        var client = new TracesClient(tracer.BaseAddress, null, new TracesClientOptions { Api = TracerApi.EucaimV2 });
        var model = new CreateModelTrace
        {
            Id = Guid.NewGuid(), CallerId = "t", Timestamp = 1, UserId = Pseudonym, ModelId = "m", ApplicationId = "app", DatasetsIds = [Dataset],
        };

        await Assert.ThrowsAsync<TraceFormatException>(() => client.RecordAsync(model));
        Assert.Equal(0, requests);
        var refused = await Assert.ThrowsAnyAsync<ImagingRepoRequestException>(() => client.RecordAsync(Use()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Equal("toolVersion is required", refused.Problem?.Detail);
    }
}
