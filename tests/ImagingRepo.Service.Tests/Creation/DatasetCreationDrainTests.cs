using ImagingRepo.Service.Creation.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>The one-shot body of a creation Job: runs what is queued, then returns.</summary>
public sealed class DatasetCreationDrainTests(CreationLake lake) : IClassFixture<CreationLake>
{
    [Fact]
    public async Task The_drain_runs_every_queued_creation_once_and_returns_when_none_is_left()
    {
        var site = new CreationSite(lake.LakePath, lake.NewFolder("datasets"), lake.NewFolder("state"));
        var store = await site.OpenStoreAsync();
        var first = lake.Request();
        var second = lake.Request(null, "A2");
        await store.EnqueueAsync(first);
        await store.EnqueueAsync(second);

        // a Job process: no background worker, the drain alone
        using var job = site.BuildHost("job-1", s => s.Configure<ImagingRepo.Service.Creation.DatasetCreationOptions>(o => o.RunWorker = false));
        var drain = job.Services.GetRequiredService<DatasetCreationDrain>();
        var runs = await drain.RunUntilIdleAsync();
        var again = await drain.RunUntilIdleAsync();

        Assert.Equal((2, 0), (runs, again));
        foreach (var request in new[] { first, second })
        {
            var state = (await store.GetAsync(request.DatasetId))!;
            Assert.Equal((DatasetCreationStatus.Finished, 1), (state.Status, state.Attempts));
            Assert.Single(await site.TracesAsync(request.DatasetId));
            Assert.True(File.Exists(Path.Combine(site.DatasetsPath, request.DatasetId, "index.json")));
        }
    }
}
