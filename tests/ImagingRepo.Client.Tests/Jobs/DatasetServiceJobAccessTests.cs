using ImagingRepo.Client.Access;
using ImagingRepo.Client.Jobs;
using ImagingRepo.Client.Tests.Datasets;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Jobs;
using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using ImagingRepo.Tracing;
using TracedUse = ImagingRepo.Tracing.Model.UseDatasetsTrace;
using TraceUserAction = ImagingRepo.Tracing.Model.TraceUserAction;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using k8s;

namespace ImagingRepo.Client.Tests.Jobs;

/// <summary>
/// The jobs library's submission with the gate, recorder and trace sink over the reference service, on the fake
/// Kubernetes API server: an allowed dataset passes and its access and USE_DATASETS trace are recorded; a refused one
/// creates nothing and records nothing.
/// </summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class DatasetServiceJobAccessTests(ReferenceService service) : IAsyncLifetime
{
    private const string Image = "harbor.chaimeleon-eu.i3m.upv.es/tools/nnunet:2.1";
    private FakeKubernetesApiServer _cluster = null!;

    public async Task InitializeAsync() => _cluster = await FakeKubernetesApiServer.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [SkippableFact]
    public async Task Submission_passes_the_gate_for_a_usable_dataset_and_records_its_access_and_use()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        var created = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("jobs allowed"), studies: 1));
        await created.WaitForCompletionAsync();
        await curator.Datasets.ReleaseAsync(created.Id);
        var (jobs, workspace) = await JobsOverTheServiceAsync(operatorClient.Access, "reader");

        var rendered = await jobs.SubmitAsync(new BatchJob { Name = "seg", Image = Image, DatasetIds = [created.Id], Arguments = ["python", "run.py"] }, workspace);

        using var kubernetes = _cluster.CreateClient();
        var job = await kubernetes.BatchV1.ReadNamespacedJobAsync("seg", workspace.Namespace);
        Assert.Equal(created.Id, job.Metadata.Annotations["chaimeleon.eu/datasetsIDs"]);
        var history = new List<DatasetAccess>();
        await foreach (var access in operatorClient.Access.GetAccessHistoryAsync(created.Id)) history.Add(access);
        var recorded = Assert.Single(history);
        Assert.Equal("reader", recorded.Username);
        Assert.Equal("seg", recorded.InstanceName);
        Assert.Equal(rendered.ToolName, recorded.ToolName);

        var use = await WaitForUseTraceAsync(created.Id);
        Assert.Equal([created.Id], use.DatasetsIds);
        Assert.True(UserPseudonymizer.IsPseudonym(use.UserId), "the trace holds a pseudonym, never the user name");
    }

    [SkippableFact]
    public async Task Submission_is_refused_for_a_dataset_the_user_may_not_use_and_nothing_is_recorded()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        // A draft: only its author sees it, so the reader may not use it.
        var draft = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("jobs refused"), studies: 1));
        await draft.WaitForCompletionAsync();
        var (jobs, workspace) = await JobsOverTheServiceAsync(operatorClient.Access, "reader");

        var refused = await Assert.ThrowsAsync<DatasetAccessDeniedException>(() =>
            jobs.SubmitAsync(new BatchJob { Name = "peek", Image = Image, DatasetIds = [draft.Id] }, workspace));

        Assert.Contains(draft.Id, refused.Message, StringComparison.Ordinal);
        using var kubernetes = _cluster.CreateClient();
        Assert.Empty((await kubernetes.BatchV1.ListNamespacedJobAsync(workspace.Namespace)).Items);
        await using var traces = await OpenServiceTracesAsync();
        Assert.Empty(await traces.Outbox.ListAsync(new TraceListQuery(DatasetId: draft.Id, Action: TraceUserAction.UseDatasets)));
        await using var history = operatorClient.Access.GetAccessHistoryAsync(draft.Id).GetAsyncEnumerator();
        Assert.False(await history.MoveNextAsync());
    }

    [SkippableFact]
    public async Task A_use_reported_without_an_access_recorded_here_is_recorded_with_its_trace()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        var created = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("jobs use only"), studies: 1));
        await created.WaitForCompletionAsync();
        await curator.Datasets.ReleaseAsync(created.Id);
        var sink = new DatasetServiceWorkloadAccess(operatorClient.Access);

        await sink.RecordUseDatasetsAsync(new UseDatasetsTrace("reader", [created.Id], "notebook", "1.0", TimeProvider.System.GetUtcNow(), null));

        var use = await WaitForUseTraceAsync(created.Id);
        Assert.Equal("notebook", use.Tool?.Name);
    }

    private async Task<(JobsClient Jobs, WorkspaceIdentity Workspace)> JobsOverTheServiceAsync(AccessClient access, string user)
    {
        var options = new JobsOptions();
        var kubernetes = _cluster.CreateClient();
        var workspace = (await new WorkspaceProvisioner(kubernetes, options).ProvisionAsync(new WorkspaceRequest(user, 2042))).Identity;
        var recorder = new DatasetServiceWorkloadAccess(access);
        return (new JobsClient(kubernetes, options, new DatasetServiceAccessGate(access), recorder, recorder), workspace);
    }

    private Task<TraceStore> OpenServiceTracesAsync() =>
        new TraceStoreBuilder().UseSqliteOutbox(Path.Combine(service.DataDirectory, "traces.db")).BuildAsync();

    /// <summary>The service forwards its traces to its outbox in the background: wait (bounded) for the dataset's USE_DATASETS.</summary>
    private async Task<TracedUse> WaitForUseTraceAsync(string datasetId)
    {
        await using var traces = await OpenServiceTracesAsync();
        for (var attempt = 0; attempt < 300; attempt++)
        {
            var found = await traces.Outbox.ListAsync(new TraceListQuery(DatasetId: datasetId, Action: TraceUserAction.UseDatasets));
            if (found.Count > 0) return Assert.IsType<TracedUse>(Assert.Single(found).Trace);
            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"no USE_DATASETS trace of {datasetId} reached the service's outbox in 30 s");
    }
}
