using System.Threading.Channels;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Tests.Support;
using ImagingRepo.Jobs.Workspaces;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Lifecycle;

/// <summary>Runs against the fake API server, or a real cluster when IMAGINGREPO_KUBECONFIG is set.</summary>
public class JobsClientTests(KubernetesClusterFixture cluster) : IClassFixture<KubernetesClusterFixture>
{
    private readonly RecordingSinks _sinks = new();

    private async Task<(JobsClient Client, WorkspaceIdentity Workspace, RecordingGate Gate)> SetUpAsync(string prefix, Action<JobsOptions>? configure = null)
    {
        var options = cluster.Options();
        configure?.Invoke(options);
        string user = KubernetesClusterFixture.UniqueUser(prefix);
        var workspace = (await new WorkspaceProvisioner(cluster.Client, options).ProvisionAsync(new WorkspaceRequest(user, 2042))).Identity;
        var gate = new RecordingGate("ds-lung", "ds-prostate");
        return (new JobsClient(cluster.Client, options, gate, _sinks, _sinks), workspace, gate);
    }

    private Task TearDownAsync(WorkspaceIdentity workspace) =>
        new WorkspaceProvisioner(cluster.Client, cluster.Options()).DeprovisionAsync(workspace.Username);

    [SkippableFact]
    public async Task Submission_creates_the_job_and_records_the_access_and_a_trace()
    {
        var (client, ws, gate) = await SetUpAsync("submit");
        try
        {
            var rendered = await client.SubmitAsync(new BatchJob { Name = "seg", Image = cluster.Image, DatasetIds = ["ds-lung"], Arguments = ["echo", "hi"] }, ws);

            var job = await cluster.Client.BatchV1.ReadNamespacedJobAsync("seg", ws.Namespace);
            Assert.Equal("ds-lung", job.Metadata.Annotations["chaimeleon.eu/datasetsIDs"]);
            Assert.Equal(1, gate.Calls);
            var access = Assert.Single(_sinks.Accesses);
            Assert.Equal((ws.Username, "seg", "batch"), (access.User, access.WorkloadName, access.WorkloadKind));
            var trace = Assert.Single(_sinks.Traces);
            Assert.Equal(["ds-lung"], trace.DatasetIds);
            Assert.Equal(rendered.ToolName, trace.ToolName);

            var listed = Assert.Single(await client.ListAsync(ws));
            Assert.Equal(("seg", "batch"), (listed.Name, listed.Kind));
            Assert.Equal(["ds-lung"], listed.DatasetIds);
            var details = await client.GetAsync(ws, "seg");
            Assert.Equal(cluster.Image, details.Image);
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task A_dataset_the_user_may_not_use_is_refused_before_anything_reaches_the_cluster()
    {
        var (client, ws, _) = await SetUpAsync("denied");
        var refusals = new List<string?>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobsTelemetry.Name && instrument.Name == "imagingrepo.jobs.refused") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason") lock (refusals) refusals.Add(tag.Value as string);
            }
        });
        listener.Start();
        try
        {
            var e = await Assert.ThrowsAsync<DatasetAccessDeniedException>(() =>
                client.SubmitAsync(new BatchJob { Name = "peek", Image = cluster.Image, DatasetIds = ["ds-lung", "ds-secret"] }, ws));
            Assert.Equal("datasets", e.Field);
            Assert.Equal(["ds-secret"], e.DeniedDatasetIds);
            lock (refusals) Assert.Contains("dataset-access", refusals);
            Assert.Empty(await client.ListAsync(ws));
            Assert.Empty(_sinks.Accesses);
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Quota_exceeding_and_policy_breaking_requests_are_refused_before_the_gate_and_the_cluster()
    {
        var (client, ws, gate) = await SetUpAsync("quota");
        try
        {
            var quota = await Assert.ThrowsAsync<JobsValidationException>(() =>
                client.SubmitAsync(new HtcJob { Name = "big", Image = cluster.Image, DatasetIds = ["ds-lung"], Flavor = "large", Completions = 10, Parallelism = 2 }, ws));
            Assert.Equal("parallelism", quota.Field);
            Assert.Contains("quota", quota.Message, StringComparison.Ordinal);

            var gpus = await Assert.ThrowsAsync<JobsValidationException>(() =>
                client.SubmitAsync(new InferenceJob { Name = "gpus", Image = cluster.Image, ModelId = "m", Gpus = 3, Flavor = "gpu" }, ws));
            Assert.Equal("gpus", gpus.Field);

            var policy = await Assert.ThrowsAsync<PolicyViolationException>(() =>
                client.SubmitAsync(new BatchJob { Name = "foreign", Image = "quay.io/evil/miner:1", DatasetIds = ["ds-lung"] }, ws));
            Assert.Contains(policy.Violations, v => v.Rule == "restrict-image-registries");

            var flavor = await Assert.ThrowsAsync<JobsValidationException>(() =>
                client.SubmitAsync(new BatchJob { Name = "f", Image = cluster.Image, Flavor = "xxl" }, ws));
            Assert.Equal("flavor", flavor.Field);

            Assert.Equal(0, gate.Calls);
            Assert.Empty(await client.ListAsync(ws));
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task A_failed_trace_takes_the_workload_back_and_a_duplicate_name_is_refused()
    {
        var (client, ws, _) = await SetUpAsync("rollback");
        try
        {
            _sinks.FailTraces = true;
            await Assert.ThrowsAsync<IOException>(() => client.SubmitAsync(new BatchJob { Name = "j1", Image = cluster.Image, DatasetIds = ["ds-lung"] }, ws));
            await KubernetesClusterFixture.EventuallyAsync(async () => (await client.ListAsync(ws)).Count == 0, "the rolled-back job to go");

            _sinks.FailTraces = false;
            await client.SubmitAsync(new BatchJob { Name = "j2", Image = cluster.Image }, ws);
            var e = await Assert.ThrowsAsync<JobsValidationException>(() => client.SubmitAsync(new BatchJob { Name = "j2", Image = cluster.Image }, ws));
            Assert.Equal("name", e.Field);
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Interactive_sessions_are_submitted_and_deleted_with_their_service_and_secret()
    {
        var (client, ws, _) = await SetUpAsync("session");
        try
        {
            await client.SubmitAsync(new InteractiveSession { Name = "lab", Image = cluster.Image, DatasetIds = ["ds-lung"] }, ws);
            Assert.Equal("interactive", Assert.Single(await client.ListAsync(ws)).Kind);
            Assert.Equal("ClusterIP", (await cluster.Client.CoreV1.ReadNamespacedServiceAsync("lab", ws.Namespace)).Spec.Type);
            Assert.True(await client.DeleteAsync(ws, "lab"));
            await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => cluster.Client.CoreV1.ReadNamespacedSecretAsync("lab-password", ws.Namespace));
            await KubernetesClusterFixture.EventuallyAsync(async () => (await client.ListAsync(ws)).Count == 0, "the session to go");
            Assert.False(await client.DeleteAsync(ws, "lab"));
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Cancelling_deletes_the_job_and_propagates_to_its_pods()
    {
        var (client, ws, _) = await SetUpAsync("cancel");
        try
        {
            await client.SubmitAsync(new HtcJob { Name = "sweep", Image = cluster.Image, Completions = 4, Parallelism = 2 }, ws);
            await KubernetesClusterFixture.EventuallyAsync(async () => (await client.GetAsync(ws, "sweep")).Pods.Count == 2, "two pods");
            Assert.True(await client.DeleteAsync(ws, "sweep"));
            await KubernetesClusterFixture.EventuallyAsync(async () =>
                (await cluster.Client.CoreV1.ListNamespacedPodAsync(ws.Namespace, labelSelector: "app.kubernetes.io/instance=sweep")).Items.Count == 0, "the pods to go");
            await KubernetesClusterFixture.EventuallyAsync(async () => (await client.ListAsync(ws)).Count == 0, "the job to go");
            Assert.False(await client.DeleteAsync(ws, "sweep"));
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Watching_reports_transitions_with_their_reasons()
    {
        cluster.RequireFake();
        var (client, ws, _) = await SetUpAsync("watch", o => o.Hardening.BackoffLimit = 0);
        try
        {
            await client.SubmitAsync(new BatchJob { Name = "oom", Image = cluster.Image }, ws);
            string pod = (await client.GetAsync(ws, "oom")).Pods.Single().Name;
            await using var watch = new StatusCollector(client.WatchAsync(ws, "oom"));

            await watch.NextAsync(s => s.Phase == WorkloadPhase.Pending && s.Reason is null);
            await cluster.SetPodStatusAsync(ws.Namespace, pod, Waiting("ImagePullBackOff"));
            await watch.NextAsync(s => s.Phase == WorkloadPhase.Pending && s.Reason == "ImagePullBackOff");
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus { Phase = "Running", ContainerStatuses = [Container(new V1ContainerState { Running = new V1ContainerStateRunning() })] });
            await watch.NextAsync(s => s.Phase == WorkloadPhase.Running);
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus
            {
                Phase = "Failed",
                ContainerStatuses = [Container(new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "OOMKilled" } })],
            });
            var last = await watch.NextAsync(s => s.Phase == WorkloadPhase.Failed);
            Assert.Equal("OOMKilled", last.Reason);
            Assert.True(await watch.EndsAsync());
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Evictions_and_deadlines_are_reported()
    {
        cluster.RequireFake();
        var (client, ws, _) = await SetUpAsync("evict", o => o.Hardening.BackoffLimit = 0);
        try
        {
            await client.SubmitAsync(new BatchJob { Name = "evicted", Image = cluster.Image }, ws);
            await client.SubmitAsync(new BatchJob { Name = "slow", Image = cluster.Image }, ws);
            string pod = (await client.GetAsync(ws, "evicted")).Pods.Single().Name;
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus { Phase = "Failed", Reason = "Evicted", Message = "The node was low on resource: memory." });
            var evicted = await client.WatchAsync(ws, "evicted").LastAsync();
            Assert.Equal((WorkloadPhase.Failed, "Evicted"), (evicted.Phase, evicted.Reason));

            var job = await cluster.Client.BatchV1.ReadNamespacedJobAsync("slow", ws.Namespace);
            job.Status.Conditions = [new V1JobCondition { Type = "Failed", Status = "True", Reason = "DeadlineExceeded", Message = "Job was active longer than specified deadline" }];
            await cluster.Client.BatchV1.ReplaceNamespacedJobStatusAsync(job, "slow", ws.Namespace);
            var slow = await client.WatchAsync(ws, "slow").LastAsync();
            var missing = await Assert.ThrowsAsync<JobNotFoundException>(() => client.WatchAsync(ws, "no-such-job").FirstAsync().AsTask());
            Assert.Equal((ws.Namespace, "no-such-job"), (missing.Namespace, missing.Name));
            Assert.Equal("no-such-job", (await Assert.ThrowsAsync<JobNotFoundException>(() => client.GetAsync(ws, "no-such-job"))).Name);
            Assert.Equal((WorkloadPhase.Failed, "DeadlineExceeded"), (slow.Phase, slow.Reason));
            Assert.Equal("DeadlineExceeded", (await client.GetAsync(ws, "slow")).Summary.Status.Reason);
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Logs_are_streamed_and_followed_until_the_container_ends()
    {
        cluster.RequireFake();
        var (client, ws, _) = await SetUpAsync("logs");
        try
        {
            await client.SubmitAsync(new BatchJob { Name = "talk", Image = cluster.Image }, ws);
            string pod = (await client.GetAsync(ws, "talk")).Pods.Single().Name;
            cluster.Fake!.AppendPodLog(ws.Namespace, pod, "starting\n");
            var lines = new List<string>();
            var follow = Task.Run(async () =>
            {
                await foreach (string line in client.ReadLogsAsync(ws, "talk", follow: true))
                {
                    lock (lines) lines.Add(line);
                }
            });

            await Task.Delay(300);
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus { Phase = "Running" });
            await KubernetesClusterFixture.EventuallyAsync(() => Task.FromResult(lines.Count == 1), "the first line", 10);
            cluster.Fake.AppendPodLog(ws.Namespace, pod, "epoch 1\nepoch 2\n");
            await KubernetesClusterFixture.EventuallyAsync(() => Task.FromResult(lines.Count == 3), "the followed lines", 10);
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus { Phase = "Succeeded" });
            await follow.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(["starting", "epoch 1", "epoch 2"], lines);
            Assert.Equal(["starting", "epoch 1", "epoch 2"], await client.ReadLogsAsync(ws, "talk").ToListAsync());
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    [SkippableFact]
    public async Task Queue_positions_follow_submission_order_until_a_job_runs()
    {
        cluster.RequireFake();
        var (client, ws, _) = await SetUpAsync("queue");
        try
        {
            await client.SubmitAsync(new BatchJob { Name = "first", Image = cluster.Image }, ws);
            await client.SubmitAsync(new BatchJob { Name = "second", Image = cluster.Image }, ws);
            var before = await client.GetQueuePositionAsync(ws, "second");
            Assert.NotNull(before);
            Assert.True(before.Position >= 2);
            string pod = (await client.GetAsync(ws, "first")).Pods.Single().Name;
            await cluster.SetPodStatusAsync(ws.Namespace, pod, new V1PodStatus { Phase = "Running" });
            Assert.Null(await client.GetQueuePositionAsync(ws, "first"));
            Assert.Equal(before.Position - 1, (await client.GetQueuePositionAsync(ws, "second"))!.Position);
        }
        finally
        {
            await TearDownAsync(ws);
        }
    }

    private static V1PodStatus Waiting(string reason) => new()
    {
        Phase = "Pending",
        ContainerStatuses = [Container(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = "Back-off pulling image" } })],
    };

    private static V1ContainerStatus Container(V1ContainerState state) => new() { Name = "main", Image = "x", ImageID = "", Ready = false, RestartCount = 0, State = state };

    /// <summary>Reads a status stream in the background so that a test can wait for each expected transition.</summary>
    private sealed class StatusCollector : IAsyncDisposable
    {
        private readonly Channel<WorkloadStatus> _statuses = Channel.CreateUnbounded<WorkloadStatus>();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _pump;

        public StatusCollector(IAsyncEnumerable<WorkloadStatus> source)
        {
            _pump = Task.Run(async () =>
            {
                try
                {
                    await foreach (var status in source.WithCancellation(_stop.Token))
                    {
                        await _statuses.Writer.WriteAsync(status);
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    _statuses.Writer.TryComplete();
                }
            });
        }

        public async Task<WorkloadStatus> NextAsync(Func<WorkloadStatus, bool> expected)
        {
            // Transitional states in between (a failed pod before the job controller marks the job) are allowed,
            // but a terminal one that is not expected is not.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (true)
            {
                var status = await _statuses.Reader.ReadAsync(timeout.Token);
                Seen.Add(status);
                if (expected(status))
                {
                    return status;
                }

                Assert.False(status.IsTerminal, $"unexpected terminal status {status}");
            }
        }

        public List<WorkloadStatus> Seen { get; } = [];

        public async Task<bool> EndsAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return !await _statuses.Reader.WaitToReadAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _pump;
            _stop.Dispose();
        }
    }
}
