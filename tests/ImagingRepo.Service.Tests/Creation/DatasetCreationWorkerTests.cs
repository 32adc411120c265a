using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ImagingRepo.Service.Tests.Creation;

public sealed class DatasetCreationWorkerTests(CreationLake lake, PostgresServer postgres, CephLakeCopy ceph)
    : IClassFixture<CreationLake>, IClassFixture<PostgresServer>, IClassFixture<CephLakeCopy>
{
    private CreationSite Site(string? postgresConnectionString = null) =>
        new(lake.LakePath, lake.NewFolder("datasets"), lake.NewFolder("state"), postgresConnectionString);

    /// <summary>The operations in SQLite or PostgreSQL, the lake on a folder or on Ceph RGW.</summary>
    [SkippableTheory]
    [InlineData(false, LakeKind.Folder)]
    [InlineData(false, LakeKind.Ceph)]
    [InlineData(true, LakeKind.Folder)]
    [InlineData(true, LakeKind.Ceph)]
    public async Task A_queued_creation_runs_in_the_background_and_records_one_CREATE_DATASET_trace(bool postgresql, LakeKind kind)
    {
        if (postgresql) postgres.Require();
        var dataLake = await ceph.OpenAsync(kind, lake);
        var site = Site(postgresql ? await CreationPostgres.NewSchemaAsync(postgres.ConnectionString) : null);
        try
        {
            await RunsAndTracesAsync(site, dataLake);
        }
        finally
        {
            (dataLake as IDisposable)?.Dispose();
        }
    }

    private async Task RunsAndTracesAsync(CreationSite site, IDataLake dataLake)
    {
        var sink = new CollectingSink();
        using var host = site.BuildHost("replica-1", s => s.AddSingleton<IDatasetCreationResultSink>(sink).AddSingleton(dataLake));
        await host.StartAsync();
        var operations = host.Services.GetRequiredService<DatasetCreationOperations>();
        var request = lake.Request(null, "B1");

        Assert.True(await operations.StartAsync(request));
        var state = await CreationSite.WaitForEndAsync(host.Services.GetRequiredService<IDatasetCreationStore>(), request.DatasetId);
        await host.StopAsync();

        Assert.Equal(DatasetCreationStatus.Finished, state.Status);
        Assert.Equal("Dataset creation finished.", state.LastMessage);
        Assert.Equal(1, state.Attempts);
        var result = Assert.Single(sink.Results);
        Assert.Equal(request.DatasetId, result.DatasetId);
        Assert.Equal(state.Result!.ImagesHash, result.ImagesHash);
        Assert.Equal([new PrunedSeries("study-B1", "2.25.999")], result.PrunedSeries);

        // the trace: index, images and clinicalData as DatasetHasher computes them, by the author's pseudonym
        var record = Assert.Single(await site.TracesAsync(request.DatasetId));
        var trace = Assert.IsType<CreateDatasetTrace>(record.Trace);
        Assert.Equal(state.TraceId, trace.Id);
        Assert.Equal("imagingrepo-dataset-service", trace.CallerId);
        Assert.Equal(new UserPseudonymizer(CreationSite.PseudonymizationKey).Pseudonymize(request.AuthorId), trace.UserId);
        Assert.DoesNotContain(request.AuthorId, System.Text.Encoding.UTF8.GetString(record.CanonicalJson.Span), StringComparison.Ordinal);
        var tree = await DatasetHasher.ComputeAsync(Path.Combine(site.DatasetsPath, request.DatasetId));
        Assert.Equal(
        [
            new TraceResource("index", Convert.ToBase64String(tree.Index!), TraceHashType.Sha3_256),
            new TraceResource("images", Convert.ToBase64String(tree.Images), TraceHashType.Sha3_256),
            new TraceResource("clinicalData", Convert.ToBase64String(tree.Eforms!), TraceHashType.Sha3_256),
        ], trace.TraceResources);
    }

    [Fact]
    public async Task Stopping_the_service_mid_creation_gives_it_back_and_a_second_instance_finishes_it()
    {
        var site = Site();
        var gate = new GatedDataLake(new LocalFolderDataLake(lake.LakePath));
        var request = lake.Request();
        using (var first = site.BuildHost("replica-1", s => s.AddSingleton<IDataLake>(gate)))
        {
            await first.StartAsync();
            await first.Services.GetRequiredService<DatasetCreationOperations>().StartAsync(request);
            await gate.Reached.WaitAsync(TimeSpan.FromMinutes(1));

            await first.StopAsync();
        }

        var store = await site.OpenStoreAsync();
        var released = (await store.GetAsync(request.DatasetId))!;
        Assert.Equal((DatasetCreationStatus.Pending, 0, "Waiting to resume (the service was stopped)..."), (released.Status, released.Attempts, released.LastMessage));

        using var second = site.BuildHost("replica-2");
        await second.StartAsync();
        var state = await CreationSite.WaitForEndAsync(store, request.DatasetId);
        await second.StopAsync();

        Assert.Equal((DatasetCreationStatus.Finished, 1), (state.Status, state.Attempts));
        Assert.Single(await site.TracesAsync(request.DatasetId));
    }

    [Fact]
    public async Task A_creation_whose_worker_died_is_taken_over_once_its_claim_lapses()
    {
        var site = Site();
        var store = await site.OpenStoreAsync();
        var request = lake.Request();
        await store.EnqueueAsync(request);
        Assert.NotNull(await store.ClaimNextAsync("a-replica-that-dies", TimeSpan.FromSeconds(1)));

        using var survivor = site.BuildHost("survivor");
        await survivor.StartAsync();
        var state = await CreationSite.WaitForEndAsync(store, request.DatasetId);
        await survivor.StopAsync();

        Assert.Equal((DatasetCreationStatus.Finished, 2), (state.Status, state.Attempts));
        Assert.Single(await site.TracesAsync(request.DatasetId));
    }

    [SkippableFact]
    public async Task Two_instances_on_one_PostgreSQL_database_run_each_creation_exactly_once()
    {
        postgres.Require();
        var site = Site(await CreationPostgres.NewSchemaAsync(postgres.ConnectionString));
        var sinks = new[] { new CollectingSink(), new CollectingSink() };
        using var one = site.BuildHost("replica-1", s => s.AddSingleton<IDatasetCreationResultSink>(sinks[0]));
        using var two = site.BuildHost("replica-2", s => s.AddSingleton<IDatasetCreationResultSink>(sinks[1]));
        await Task.WhenAll(one.StartAsync(), two.StartAsync());
        var requests = Enumerable.Range(0, 6).Select(_ => lake.Request()).ToList();
        foreach (var request in requests) await one.Services.GetRequiredService<DatasetCreationOperations>().StartAsync(request);

        var store = await site.OpenStoreAsync();
        var states = new List<DatasetCreationState>();
        foreach (var request in requests) states.Add(await CreationSite.WaitForEndAsync(store, request.DatasetId));
        await Task.WhenAll(one.StopAsync(), two.StopAsync());

        Assert.All(states, s => Assert.Equal((DatasetCreationStatus.Finished, 1), (s.Status, s.Attempts)));
        Assert.Equal(requests.Select(r => r.DatasetId).Order(), sinks.SelectMany(s => s.Results).Select(r => r.DatasetId).Order());
        foreach (var request in requests) Assert.Single(await site.TracesAsync(request.DatasetId));
    }

    [Fact]
    public async Task Cancelling_a_running_creation_ends_it_in_error_with_nothing_laid_out()
    {
        var site = Site();
        var gate = new GatedDataLake(new LocalFolderDataLake(lake.LakePath));
        using var host = site.BuildHost("replica-1", s => s.AddSingleton<IDataLake>(gate));
        await host.StartAsync();
        var operations = host.Services.GetRequiredService<DatasetCreationOperations>();
        var request = lake.Request();
        await operations.StartAsync(request);
        await gate.Reached.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(CancelOutcome.Requested, await operations.CancelAsync(request.DatasetId));
        var state = await CreationSite.WaitForEndAsync(host.Services.GetRequiredService<IDatasetCreationStore>(), request.DatasetId);
        await host.StopAsync();

        Assert.Equal((DatasetCreationStatus.Error, "Canceled by user"), (state.Status, state.LastMessage));
        Assert.Empty(Directory.GetFileSystemEntries(site.DatasetsPath));
        Assert.Empty(await site.TracesAsync(request.DatasetId));
        Assert.Equal(CancelOutcome.TooLate, await operations.CancelAsync(request.DatasetId));
    }

    [Fact]
    public async Task A_failed_creation_says_why_and_finishes_when_restarted_after_the_cause_is_fixed()
    {
        var site = Site();
        using var host = site.BuildHost("replica-1");
        await host.StartAsync();
        var operations = host.Services.GetRequiredService<DatasetCreationOperations>();
        var store = host.Services.GetRequiredService<IDatasetCreationStore>();
        var request = lake.Request();
        var late = "late-" + Guid.NewGuid().ToString("N")[..8];
        var copy = request.Studies[3] with { StudyId = "late", PathInDatalake = late + "/copy-of-C1" };
        request = request with { Studies = [.. request.Studies, copy] };
        await operations.StartAsync(request);

        var failed = await CreationSite.WaitForEndAsync(store, request.DatasetId);
        Assert.Equal(DatasetCreationStatus.Error, failed.Status);
        Assert.Equal($"1 of 5 studies are not in the data lake: \"late\" ({copy.PathInDatalake})", failed.LastMessage);
        Assert.False(Directory.Exists(Path.Combine(site.DatasetsPath, request.DatasetId)));

        // the study arrives in the lake; an administrator restarts the creation
        CopyFolder(Path.Combine(lake.LakePath, request.Studies[3].PathInDatalake), Path.Combine(lake.LakePath, copy.PathInDatalake));
        Assert.Equal(RestartOutcome.Restarted, await operations.RestartAsync(request.DatasetId));
        var state = await CreationSite.WaitForEndAsync(store, request.DatasetId);
        await host.StopAsync();

        Assert.Equal(DatasetCreationStatus.Finished, state.Status);
        Assert.Equal(5, state.Result!.Metadata.StudiesCount);
        Assert.Equal(state.Result.Studies[3].Hash, state.Result.Studies[4].Hash); // the same files, hashed the same
        Assert.Single(await site.TracesAsync(request.DatasetId));
    }

    [Fact]
    public async Task A_request_whose_paths_leave_the_lake_is_refused_and_nothing_is_queued()
    {
        var site = Site();
        using var host = site.BuildHost("replica-1");
        var operations = host.Services.GetRequiredService<DatasetCreationOperations>();
        await host.Services.GetRequiredService<IDatasetCreationStore>().InitializeAsync();
        var outside = lake.NewFolder("outside");
        var link = "escape-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateSymbolicLink(Path.Combine(lake.LakePath, link), outside);
        var request = lake.Request();
        request = request with
        {
            Studies =
            [
                request.Studies[0] with { PathInDatalake = "../" + Path.GetFileName(outside) },
                request.Studies[1] with { PathInDatalake = outside },
                request.Studies[2] with { PathInDatalake = link + "/study" },
                request.Studies[3],
            ],
        };

        var e = await Assert.ThrowsAsync<DatasetCreationRequestException>(() => operations.StartAsync(request));

        Assert.Equal(["studies[0].pathInDatalake", "studies[1].pathInDatalake"], e.Problems.Select(p => p.Field));
        var second = request with { Studies = [request.Studies[2], request.Studies[3]] };
        var linked = await Assert.ThrowsAsync<DatasetCreationRequestException>(() => operations.StartAsync(second));
        Assert.Equal($"studies[0].pathInDatalake: pathInDatalake \"{link}/study\" leads out of the data lake through the symbolic link \"{link}\"", Assert.Single(linked.Problems).ToString());
        Assert.Null(await operations.GetAsync(request.DatasetId));
        Directory.Delete(Path.Combine(lake.LakePath, link));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var folder in Directory.GetDirectories(from)) CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
    }
}
