using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Benchmarking;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Service.Tests.Infrastructure;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// Crash safety of the real service: the built service, started as a process on SQLite with a folder data lake, is
/// killed with SIGKILL twice in the middle of creating a dataset of a few hundred studies and started again; the
/// creation finishes, the dataset is never released meanwhile, and the trace outbox holds exactly one CREATE_DATASET.
/// </summary>
public sealed class ServiceCrashTests : IAsyncLifetime
{
    private const int Studies = 300;
    private const string CuratorName = "crash-curator";
    private readonly string _work = Path.Combine(Path.GetTempPath(), "imagingrepo-service-crash-" + Guid.NewGuid().ToString("N")[..8]);
    private List<SelectedStudy> _studies = [];

    private string LakePath => Path.Combine(_work, "lake");

    private string DataDirectory => Path.Combine(_work, "data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        // 64 KiB instances (about 230 MB): hashing them outlasts the polling even on an idle machine, so each kill lands mid-creation.
        (_studies, _, _) = await CreationRatioBenchmark.WriteLakeAsync(LakePath,
            new CreationRatioOptions { WorkFolder = _work, Studies = Studies, SeriesPerStudy = 3, InstancesPerSeries = 4, PixelBytes = 64 * 1024 }, default);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_service_killed_twice_mid_creation_finishes_it_after_a_restart_without_releasing_early_or_losing_or_doubling_its_trace()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGKILL semantics

        string id;
        await using (var first = await StartAsync())
        {
            using (var projects = first.Client("crash-admin", "admin_projects"))
            {
                await projects.SendJsonAsync(HttpMethod.Put, "api/projects/CRASH",
                    new JsonObject
                    {
                        ["name"] = "Crash",
                        ["shortDescription"] = "Crash tests.",
                        ["projectConfig"] = new JsonObject
                        {
                            ["defaultContactInfo"] = "contact@crash.example",
                            ["defaultLicense"] = new JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
                        },
                    }.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
            }

            using var curator = Curator(first);
            using var created = await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", NewDataset().ToJsonString());
            await created.JsonAsync(HttpStatusCode.Created);
            id = created.Headers.Location!.OriginalString.Split('/')[^1];

            await WaitForStatusAsync(first, curator, id, s => s.Status == "running");
            await first.KillAsync();
            var killed = await OperationAsync(id);
            Assert.Equal((DatasetCreationStatus.Running, 1), (killed.Status, killed.Attempts));
            Assert.Null(killed.Result);
        }

        await using (var second = await StartAsync())
        {
            using var curator = Curator(second);
            await AssertNotReleasableAsync(curator, id);

            // resumed once the dead process's claim lapses (after the new process is up); killed again in the middle of
            // its own progress
            await WaitForAsync(async () => await OperationAsync(id) is { Attempts: 2, Status: DatasetCreationStatus.Running });
            var progress = await WaitForStatusAsync(second, curator, id, s => s.Status != "running" || !s.Message.StartsWith("The creation", StringComparison.Ordinal));
            Assert.Equal("running", progress.Status);
            await second.KillAsync();
            var killed = await OperationAsync(id);
            Assert.Equal((DatasetCreationStatus.Running, 2), (killed.Status, killed.Attempts));
        }

        await using var third = await StartAsync();
        using (var curator = Curator(third))
        {
            await AssertNotReleasableAsync(curator, id);
            var end = await WaitForStatusAsync(third, curator, id, s => s.Status is "finished" or "error");
            Assert.Equal(("finished", "Successfully created"), (end.Status, end.Message));

            var dataset = await curator.GetJsonAsync($"api/datasets/{id}");
            Assert.True(dataset.GetProperty("draft").GetBoolean());
            Assert.Equal(Studies, dataset.GetProperty("studiesCount").GetInt32());
            Assert.Equal(Studies / 4, dataset.GetProperty("subjectsCount").GetInt32());
            Assert.Equal(["CT"], dataset.GetProperty("modality").EnumerateArray().Select(e => e.GetString()));

            // the dataset shows the result once it is stored on it; the operation is finished just after that
            await WaitForAsync(async () => await OperationAsync(id) is { Status: not DatasetCreationStatus.Running });
            var operation = await OperationAsync(id);
            Assert.Equal((id, DatasetCreationStatus.Finished, 3), (operation.DatasetId, operation.Status, operation.Attempts));

            // one CREATE_DATASET, the one the operation kept, with the hashes of what is on disk
            var creates = await TracesAsync(TraceUserAction.CreateDataset);
            var trace = Assert.IsType<CreateDatasetTrace>(Assert.Single(creates).Trace);
            Assert.Equal((operation.TraceId, id), (trace.Id, trace.DatasetId));
            var tree = await DatasetHasher.ComputeAsync(Path.Combine(DataDirectory, "datasets", id));
            Assert.Equal(
            [
                new TraceResource("index", Convert.ToBase64String(tree.Index!), TraceHashType.Sha3_256),
                new TraceResource("images", Convert.ToBase64String(tree.Images), TraceHashType.Sha3_256),
                new TraceResource("clinicalData", Convert.ToBase64String(tree.Eforms!), TraceHashType.Sha3_256),
            ], trace.TraceResources);
            Assert.Equal([id], Directory.GetDirectories(Path.Combine(DataDirectory, "datasets")).Select(Path.GetFileName));

            // only now may it be released, which is traced once more
            using var release = await curator.PatchAsync(id, "draft", false);
            Assert.True(release.IsSuccessStatusCode, await release.Content.ReadAsStringAsync());
            await WaitForAsync(async () => (await TracesAsync(TraceUserAction.UpdateDataset)).Count == 1);
            Assert.Single(await TracesAsync(TraceUserAction.CreateDataset));
        }
    }

    private Task<ServiceProcess> StartAsync() => ServiceProcess.StartAsync(DataDirectory, new Dictionary<string, string>
    {
        ["ImagingRepo:Creation:DataLakePath"] = LakePath,
        ["ImagingRepo:Creation:LeaseDuration"] = "00:00:10",
        ["ImagingRepo:Creation:HeartbeatInterval"] = "00:00:00.500",
        ["ImagingRepo:Creation:PollInterval"] = "00:00:00.300",
        ["ImagingRepo:Creation:MaxDegreeOfParallelism"] = "1",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    });

    private static HttpClient Curator(ServiceProcess service) => service.Client(CuratorName, "admin_datasets", "PROJECT-CRASH");

    private JsonObject NewDataset() => new()
    {
        ["name"] = "Crash test dataset",
        ["version"] = "1",
        ["project"] = "CRASH",
        ["description"] = "Created while the service is killed.",
        ["type"] = new JsonArray("original"),
        ["collectionMethod"] = new JsonArray("cohort"),
        ["studies"] = new JsonArray([.. _studies.Select(s => (JsonNode)new JsonObject
        {
            ["studyId"] = s.StudyId,
            ["studyName"] = s.StudyName,
            ["subjectName"] = s.SubjectName,
            ["pathInDatalake"] = s.PathInDatalake,
            ["series"] = new JsonArray([.. s.Series.Select(r => (JsonNode)new JsonObject { ["folderName"] = r.FolderName, ["tags"] = new JsonArray("Axial") })]),
            ["url"] = "",
        })]),
        ["subjects"] = new JsonArray([.. _studies.Select(s => s.SubjectName).Distinct().Select(s => (JsonNode)new JsonObject
        {
            ["subjectName"] = s,
            ["subjectId"] = "id-" + s,
            ["eForm"] = new JsonObject { ["age"] = 61 },
        })]),
    };

    /// <summary>While it is being created, the dataset stays a draft and cannot be released.</summary>
    private static async Task AssertNotReleasableAsync(HttpClient curator, string id)
    {
        Assert.True((await curator.GetJsonAsync($"api/datasets/{id}")).GetProperty("draft").GetBoolean());
        using var release = await curator.PatchAsync(id, "draft", false);
        Assert.Contains("still being created", await release.ProblemAsync(HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.True((await curator.GetJsonAsync($"api/datasets/{id}")).GetProperty("draft").GetBoolean());
    }

    private static async Task<(string Status, string Message)> WaitForStatusAsync(ServiceProcess service, HttpClient client, string id,
        Func<(string Status, string Message), bool> condition)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(2);
        (string Status, string Message) current = default;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var status = await client.GetJsonAsync($"api/datasets/{id}/creationStatus");
            current = (status.GetProperty("status").GetString()!, status.GetProperty("lastMessage").GetString()!);
            if (condition(current)) return current;
            await Task.Delay(20);
        }

        await service.KillAsync();
        Assert.Fail($"creation status still {current} after 2 minutes; the service said:\n{await service.OutputAsync()}");
        return current;
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!await condition()) await Task.Delay(100, timeout.Token);
    }

    private async Task<IReadOnlyList<TraceRecord>> TracesAsync(TraceUserAction action)
    {
        await using var store = await new TraceStoreBuilder().UseSqliteOutbox(Path.Combine(DataDirectory, "traces.db")).BuildAsync();
        return await store.Outbox.ListAsync(new TraceListQuery(Action: action));
    }

    private async Task<DatasetCreationState> OperationAsync(string id)
    {
        var store = new SqliteDatasetCreationStore(Path.Combine(DataDirectory, "creation.db"), TimeProvider.System);
        return (await store.GetAsync(id))!;
    }
}
