using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;

namespace ImagingRepo.Client.Tests.Http;

/// <summary>
/// The client pipeline against a real HTTP server on loopback that answers with the faults a busy or refusing
/// service gives (the reference service cannot be made to answer 503 on demand).
/// </summary>
public sealed class ClientPipelineTests
{
    private static readonly Dictionary<string, string> RetryAfterOne = new() { ["Retry-After"] = "1" };

    private static ClientResilienceOptions FastResilience() => new() { BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Unavailable_and_throttled_answers_are_retried_as_retry_after_says()
    {
        var calls = new ConcurrentDictionary<string, int>();
        await using var api = new LoopbackApi(request =>
        {
            var n = calls.AddOrUpdate(request.HttpMethod + " " + request.Url!.AbsolutePath, 1, (_, c) => c + 1);
            return request.Url!.AbsolutePath switch
            {
                "/datasets/d-1" when n == 1 => (503, """{"title":"busy"}""", RetryAfterOne),
                "/datasetAccessCheck" when n == 1 => (429, """{"title":"slow down"}""", RetryAfterOne),
                "/datasets/d-1" => (200, """{"id":"d-1","name":"Lung","futureMember":1,"type":["annotated","hologram"]}""", null),
                _ => (204, "", null),
            };
        });
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());

        var dataset = await new DatasetsClient(http, null, null).GetDatasetAsync("d-1");
        var check = await new AccessClient(http, null).CheckAccessAsync("user1", ["d-1"]);

        Assert.Equal("Lung", dataset.Name);
        Assert.Equal([DatasetType.Annotated, new DatasetType("hologram")], dataset.Type);
        Assert.False(dataset.Type![1].IsKnown);
        Assert.True(check.Granted);
        Assert.Equal(2, calls["GET /datasets/d-1"]);
        Assert.Equal(2, calls["POST /datasetAccessCheck"]);
    }

    [Fact]
    public async Task Server_error_on_a_creation_is_not_sent_twice()
    {
        var posts = 0;
        await using var api = new LoopbackApi(_ =>
        {
            Interlocked.Increment(ref posts);
            return (500, """{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"disk full","traceId":"00-abc"}""", null);
        });
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());

        var error = await Assert.ThrowsAsync<ImagingRepoRequestException>(() =>
            new DatasetsClient(http, null, null).StartCreateDatasetAsync(new DatasetCreationRequest { Name = "x" }));

        Assert.Equal(1, posts);
        Assert.Equal(HttpStatusCode.InternalServerError, error.Status);
        Assert.Equal("disk full", error.Problem!.Detail);
        Assert.Equal("00-abc", error.Problem.TraceId);
        Assert.Equal("POST datasets", error.Operation);
    }

    [Theory]
    [InlineData(401, typeof(AuthenticationRequiredException))]
    [InlineData(403, typeof(AccessDeniedException))]
    [InlineData(404, typeof(ResourceNotFoundException))]
    [InlineData(409, typeof(StateConflictException))]
    [InlineData(400, typeof(InvalidRequestException))]
    [InlineData(422, typeof(InvalidRequestException))]
    public async Task Refusals_surface_as_typed_exceptions_with_the_servers_detail(int status, Type expected)
    {
        await using var api = new LoopbackApi(_ => (status, $$"""{"error":"refused for reason {{status}}","status_code":"{{status}}"}""", null));
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());

        var error = await Assert.ThrowsAnyAsync<ImagingRepoRequestException>(() => new DatasetsClient(http, null, null).ReleaseAsync("d-9"));

        Assert.IsType(expected, error);
        Assert.Equal(status, (int)error.Status);
        Assert.Equal($"refused for reason {status}", error.Problem!.Detail);
        Assert.Equal(status, error.Problem.Status);
        Assert.Contains($"refused for reason {status}", error.Message, StringComparison.Ordinal);
        Assert.Equal("PATCH datasets/d-9", error.Operation);
    }

    [Fact]
    public async Task Denied_access_check_names_the_refused_datasets()
    {
        await using var api = new LoopbackApi(_ => (403, """["d-2"]""", null));
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());

        var check = await new AccessClient(http, null).CheckAccessAsync("user1", ["d-1", "d-2"]);

        Assert.False(check.Granted);
        Assert.Equal(["d-2"], check.DeniedDatasetIds);
    }

    [Fact]
    public async Task Ten_thousand_datasets_stream_one_page_at_a_time()
    {
        var requests = new ConcurrentQueue<string>();
        await using var api = new LoopbackApi(request =>
        {
            requests.Enqueue(request.Url!.Query);
            var skip = int.Parse(request.QueryString["skip"]!, System.Globalization.CultureInfo.InvariantCulture);
            var limit = int.Parse(request.QueryString["limit"]!, System.Globalization.CultureInfo.InvariantCulture);
            var items = Enumerable.Range(skip, Math.Max(0, Math.Min(limit, 10_000 - skip))).Select(i => new { id = $"d-{i:D5}", name = "n" });
            return (200, JsonSerializer.Serialize(new { total = 10_000, returned = items.Count(), skipped = skip, limit, list = items }), null);
        });
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());
        var client = new DatasetsClient(http, new DatasetsClientOptions { PageSize = 250 }, null);

        var first = new List<string>();
        await foreach (var item in client.GetDatasetsAsync(new DatasetQuery { Project = "P", Tags = ["a", "b-c"], SortBy = DatasetSortKey.Name }))
        {
            first.Add(item.Id!);
            if (first.Count == 300) break;
        }

        Assert.Equal(2, requests.Count); // 300 items read: two pages fetched, not forty
        Assert.Equal("?tag=a&tag=b-c&project=P&skip=0&limit=250&sortBy=name", requests.First());
        var all = 0;
        string? last = null;
        await foreach (var item in client.GetDatasetsAsync())
        {
            all++;
            last = item.Id;
        }

        Assert.Equal(10_000, all);
        Assert.Equal("d-09999", last);
        Assert.Equal(2 + 40, requests.Count);
    }

    [Fact]
    public async Task Creation_operation_reports_progress_and_can_be_resumed_by_id()
    {
        var polls = 0;
        await using var api = new LoopbackApi(request => (request.HttpMethod, request.Url!.AbsolutePath) switch
        {
            ("POST", "/datasets") => (201, """{"url":"https://explorer.example.org/datasets/n-1/details","apiUrl":"/api/datasets/n-1"}""", null),
            ("GET", "/datasets/n-1/creationStatus") => Interlocked.Increment(ref polls) switch
            {
                1 => (200, """{"status":"pending","lastMessage":"queued"}""", null),
                2 or 3 => (200, """{"status":"running","lastMessage":"hashing 3 of 4 studies"}""", null),
                _ => (200, """{"status":"finished","lastMessage":"done"}""", null),
            },
            ("GET", "/datasets/n-1") => (200, """{"id":"n-1","draft":true,"creating":false,"studiesCount":4}""", null),
            _ => (404, "{}", null),
        });
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());
        var client = new DatasetsClient(http, new DatasetsClientOptions { CreationPollInterval = TimeSpan.FromMilliseconds(5) }, null);

        var operation = await client.StartCreateDatasetAsync(new DatasetCreationRequest { Name = "Lung", Studies = [], Subjects = [] });
        Assert.Equal("n-1", operation.Id);
        Assert.Equal(new Uri("https://explorer.example.org/datasets/n-1/details"), operation.ExplorerUrl);
        Assert.False(operation.HasCompleted);

        // Another process picks the creation up by id.
        var resumed = client.GetCreationOperation(operation.Id);
        var seen = new List<string>();
        var dataset = await resumed.WaitForCompletionAsync(new SynchronousProgress<DatasetCreationStatus>(s => seen.Add($"{s.Status}: {s.LastMessage}")));

        Assert.Equal(4, dataset.StudiesCount);
        Assert.True(resumed.HasCompleted);
        Assert.Equal(["pending: queued", "running: hashing 3 of 4 studies", "finished: done"], seen);
    }

    [Fact]
    public async Task Failed_creation_throws_with_the_last_message()
    {
        await using var api = new LoopbackApi(_ => (200, """{"status":"error","lastMessage":"study s-3 is not in the lake"}""", null));
        using var http = ClientHttp.Create(api.BaseAddress, null, FastResilience());

        var error = await Assert.ThrowsAsync<DatasetCreationFailedException>(() =>
            new DatasetsClient(http, null, null).GetCreationOperation("n-2").WaitForCompletionAsync());

        Assert.Equal("n-2", error.DatasetId);
        Assert.Equal("study s-3 is not in the lake", error.LastMessage);
    }
}
