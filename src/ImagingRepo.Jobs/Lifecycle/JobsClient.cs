using System.Net;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Jobs.Lifecycle;

/// <summary>
/// Submits, watches, lists and cancels a user's workloads (jobman parity). Submission renders the spec, checks the
/// policies and the workspace quota, asks the dataset-access gate, creates the objects, then records the access and a
/// USE_DATASETS trace; everything that can be refused is refused before the cluster sees anything. Thread-safe.
/// </summary>
public sealed partial class JobsClient
{
    private readonly IKubernetes _kubernetes;
    private readonly JobsOptions _options;
    private readonly IDatasetAccessGate _gate;
    private readonly IDatasetAccessRecorder _recorder;
    private readonly IDatasetUseTraceSink _traces;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="kubernetes">The Kubernetes client.</param>
    /// <param name="options">Conventions, flavours, hardening and policy settings.</param>
    /// <param name="gate">Decides whether the user may use the datasets.</param>
    /// <param name="recorder">Records dataset accesses.</param>
    /// <param name="traces">Writes USE_DATASETS traces.</param>
    /// <param name="timeProvider">Clock, or null for the system clock.</param>
    /// <param name="logger">Logger, or null.</param>
    /// <param name="renderer">Renderer, or null for one built from <paramref name="options"/>.</param>
    /// <param name="policy">Policy checker (the registered one under dependency injection), or null for one built from <paramref name="options"/>.</param>
    public JobsClient(IKubernetes kubernetes, JobsOptions options, IDatasetAccessGate gate, IDatasetAccessRecorder recorder, IDatasetUseTraceSink traces,
        TimeProvider? timeProvider = null, ILogger<JobsClient>? logger = null, ManifestRenderer? renderer = null, PolicyChecker? policy = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(traces);
        _kubernetes = kubernetes;
        _options = options;
        _gate = gate;
        _recorder = recorder;
        _traces = traces;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Renderer = renderer ?? new ManifestRenderer(options);
        Policy = policy ?? new PolicyChecker(options.Policy);
    }

    /// <summary>The renderer used for submissions.</summary>
    public ManifestRenderer Renderer { get; }

    /// <summary>The policy checker used for submissions.</summary>
    public PolicyChecker Policy { get; }

    /// <summary>
    /// Renders <paramref name="spec"/> and checks it against the policies and the workspace quota without contacting
    /// the cluster: what <c>--dry-run</c> prints is exactly what <see cref="SubmitAsync"/> would create.
    /// </summary>
    /// <param name="spec">The workload.</param>
    /// <param name="workspace">The user's workspace.</param>
    /// <exception cref="JobsValidationException">An input is invalid, a policy is broken or the quota would be exceeded.</exception>
    public RenderedWorkload Prepare(WorkloadSpec spec, WorkspaceIdentity workspace) => Prepare(Renderer, Policy, _options, spec, workspace);

    /// <summary>The checks of <see cref="Prepare(WorkloadSpec, WorkspaceIdentity)"/> without a client (for dry runs).</summary>
    /// <param name="renderer">The renderer.</param>
    /// <param name="policy">The policy checker.</param>
    /// <param name="options">The options (flavours and workspace quota).</param>
    /// <param name="spec">The workload.</param>
    /// <param name="workspace">The user's workspace.</param>
    /// <exception cref="JobsValidationException">An input is invalid, a policy is broken or the quota would be exceeded.</exception>
    public static RenderedWorkload Prepare(ManifestRenderer renderer, PolicyChecker policy, JobsOptions options, WorkloadSpec spec, WorkspaceIdentity workspace)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(spec);
        var rendered = renderer.Render(spec, workspace);
        policy.Enforce(rendered, workspace);
        QuotaCheck.Enforce(spec, options.GetFlavor(spec.Flavor), options.Workspace.Quota);
        return rendered;
    }

    /// <summary>Submits a workload after every check has passed; records the access and a USE_DATASETS trace.</summary>
    /// <param name="spec">The workload.</param>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    /// <exception cref="JobsValidationException">Refused before reaching the cluster (invalid input, policy, quota).</exception>
    /// <exception cref="DatasetAccessDeniedException">The user may not use one of the datasets.</exception>
    public async Task<RenderedWorkload> SubmitAsync(WorkloadSpec spec, WorkspaceIdentity workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var activity = JobsTelemetry.Source.StartActivity("jobs.submit");
        activity?.SetTag("imagingrepo.workload.kind", spec.WorkloadKind);
        RenderedWorkload rendered;
        try
        {
            rendered = Prepare(spec, workspace);
            if (rendered.DatasetIds.Count > 0)
            {
                var decision = await _gate.CheckAsync(workspace.Username, rendered.DatasetIds, cancellationToken).ConfigureAwait(false);
                if (!decision.Granted)
                {
                    throw new DatasetAccessDeniedException(decision.DeniedDatasetIds.Count > 0 ? decision.DeniedDatasetIds : rendered.DatasetIds,
                        decision.Reason ?? "refused by the dataset service");
                }
            }
        }
        catch (JobsValidationException e)
        {
            string reason = JobsTelemetry.RefusalReason(e);
            JobsTelemetry.Refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, reason);
            throw;
        }

        var created = new List<IKubernetesObject<V1ObjectMeta>>(rendered.Objects.Count);
        try
        {
            foreach (var obj in rendered.Objects)
            {
                await CreateAsync(obj, cancellationToken).ConfigureAwait(false);
                created.Add(obj);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            await RollBackAsync(created).ConfigureAwait(false);
            throw new JobsValidationException("name", $"a workload named '{rendered.Name}' already exists in {rendered.Namespace}", e);
        }
        catch
        {
            await RollBackAsync(created).ConfigureAwait(false);
            throw;
        }

        if (rendered.DatasetIds.Count > 0)
        {
            try
            {
                var now = _time.GetUtcNow();
                await _recorder.RecordAccessAsync(new DatasetAccessRecord(workspace.Username, rendered.DatasetIds, rendered.Namespace, rendered.Name,
                    rendered.Kind, rendered.ToolName, rendered.ToolVersion, now), cancellationToken).ConfigureAwait(false);
                await _traces.RecordUseDatasetsAsync(new UseDatasetsTrace(workspace.Username, rendered.DatasetIds, rendered.ToolName, rendered.ToolVersion, now,
                    (spec as InferenceJob)?.ModelId), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // No unrecorded use of data: take the workload back if the record cannot be written.
                await RollBackAsync(created).ConfigureAwait(false);
                throw;
            }
        }

        JobsTelemetry.Submitted.Add(1, new KeyValuePair<string, object?>("kind", rendered.Kind));
        Log.Submitted(_logger, rendered.Kind, rendered.Name, rendered.Namespace, rendered.DatasetIds.Count);
        return rendered;
    }

    /// <summary>Lists the user's Jobs and interactive sessions with their status.</summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<WorkloadSummary>> ListAsync(WorkspaceIdentity workspace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        string selector = UserSelector(workspace);
        var jobs = await _kubernetes.BatchV1.ListNamespacedJobAsync(workspace.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var deployments = await _kubernetes.AppsV1.ListNamespacedDeploymentAsync(workspace.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pods = await _kubernetes.CoreV1.ListNamespacedPodAsync(workspace.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var byInstance = pods.Items.GroupBy(p => Get(p.Labels(), "app.kubernetes.io/instance") ?? "")
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<V1Pod>)g.ToList(), StringComparer.Ordinal);

        var result = new List<WorkloadSummary>(jobs.Items.Count + deployments.Items.Count);
        foreach (var job in jobs.Items)
        {
            result.Add(Summarize(job.Metadata, WorkloadStatusInterpreter.FromJob(job, PodsOf(byInstance, job.Metadata.Name))));
        }

        foreach (var deployment in deployments.Items)
        {
            result.Add(Summarize(deployment.Metadata, WorkloadStatusInterpreter.FromDeployment(deployment, PodsOf(byInstance, deployment.Metadata.Name))));
        }

        result.Sort((a, b) => Nullable.Compare(a.CreatedAt, b.CreatedAt) is var c && c != 0 ? c : string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    /// <summary>One workload with its pods.</summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="name">The workload name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="JobNotFoundException">No such workload.</exception>
    public async Task<WorkloadDetails> GetAsync(WorkspaceIdentity workspace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        KubernetesNames.RequireDns1123Label("name", name);
        var pods = await PodsOfAsync(workspace, name, cancellationToken).ConfigureAwait(false);
        var podSummaries = pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(p => new PodSummary(p.Metadata.Name, p.Status?.Phase, p.Status?.Reason ?? FirstWaitingReason(p), p.Spec?.NodeName)).ToList();
        try
        {
            var job = await _kubernetes.BatchV1.ReadNamespacedJobAsync(name, workspace.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new WorkloadDetails(Summarize(job.Metadata, WorkloadStatusInterpreter.FromJob(job, pods)), podSummaries, job.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }

        try
        {
            var deployment = await _kubernetes.AppsV1.ReadNamespacedDeploymentAsync(name, workspace.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new WorkloadDetails(Summarize(deployment.Metadata, WorkloadStatusInterpreter.FromDeployment(deployment, pods)), podSummaries,
                deployment.Spec?.Template?.Spec?.Containers?.FirstOrDefault()?.Image);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new JobNotFoundException(workspace.Namespace, name, "workload", e);
        }
    }

    /// <summary>
    /// Streams a Job's status each time its phase or reason changes (ImagePullBackOff, OOMKilled, Evicted,
    /// DeadlineExceeded…), starting with the current one, until it succeeds, fails or is deleted.
    /// </summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="name">The Job name.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <exception cref="JobNotFoundException">No such Job.</exception>
    public async IAsyncEnumerable<WorkloadStatus> WatchAsync(WorkspaceIdentity workspace, string name, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        KubernetesNames.RequireDns1123Label("name", name);
        try
        {
            // A watch of a missing object just stays silent: refuse an unknown name up front.
            await _kubernetes.BatchV1.ReadNamespacedJobAsync(name, workspace.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new JobNotFoundException(workspace.Namespace, name, "job", e);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        string ns = workspace.Namespace;
        var jobWatch = PumpAsync(ct => _kubernetes.BatchV1.WatchListNamespacedJobAsync(ns, fieldSelector: "metadata.name=" + name, cancellationToken: ct), events.Writer, stop.Token);
        var podWatch = PumpAsync(ct => _kubernetes.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: "app.kubernetes.io/instance=" + name, cancellationToken: ct), events.Writer, stop.Token);

        V1Job? job = null;
        bool seenJob = false;
        var pods = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        WorkloadStatus? last = null;
        try
        {
            await foreach (object item in events.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                switch (item)
                {
                    case (WatchEventType type, V1Job j):
                        seenJob = true;
                        job = type == WatchEventType.Deleted ? null : j;
                        break;
                    case (WatchEventType type, V1Pod p):
                        if (type == WatchEventType.Deleted) pods.Remove(p.Metadata.Name);
                        else pods[p.Metadata.Name] = p;
                        break;
                    case Exception e:
                        throw new InvalidOperationException($"watching {ns}/{name} failed: {e.Message}", e);
                }

                if (!seenJob)
                {
                    continue;
                }

                var status = job is null
                    ? new WorkloadStatus(WorkloadPhase.Deleted, null, null, 0, 0, 0)
                    : WorkloadStatusInterpreter.FromJob(job, pods.Values);
                if (status.Phase == WorkloadPhase.Failed && job is not null)
                {
                    // The two watches are not ordered against each other: read the pods once more so that the final
                    // reason is the pods' (OOMKilled, Evicted) rather than the controller's summary.
                    var fresh = await PodsOfAsync(workspace, name, stop.Token).ConfigureAwait(false);
                    status = WorkloadStatusInterpreter.FromJob(job, fresh);
                }

                if (last is null || status.Phase != last.Phase || status.Reason != last.Reason)
                {
                    last = status;
                    yield return status;
                    if (status.IsTerminal)
                    {
                        yield break;
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(jobWatch, podWatch).ConfigureAwait(false);
        }
    }

    /// <summary>Streams the log lines of a workload's first pod (or of the pod with <paramref name="podIndex"/>).</summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="name">The workload name.</param>
    /// <param name="follow">Keep streaming until the container ends (waits for the pod to start).</param>
    /// <param name="podIndex">Which pod, in name order.</param>
    /// <param name="cancellationToken">Stops streaming.</param>
    public async IAsyncEnumerable<string> ReadLogsAsync(WorkspaceIdentity workspace, string name, bool follow = false, int podIndex = 0,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        KubernetesNames.RequireDns1123Label("name", name);
        Stream? stream = null;
        while (stream is null)
        {
            var pods = (await PodsOfAsync(workspace, name, cancellationToken).ConfigureAwait(false))
                .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
            if (podIndex < pods.Count)
            {
                try
                {
                    stream = await _kubernetes.CoreV1.ReadNamespacedPodLogAsync(pods[podIndex].Metadata.Name, workspace.Namespace, container: "main", follow: follow,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (HttpOperationException e) when (follow && e.Response.StatusCode == HttpStatusCode.BadRequest)
                {
                    // The container is still waiting to start.
                }
            }
            else if (!follow)
            {
                yield break;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }

        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Cancels a workload: deletes the Job (or the session's Deployment, Service and Secret) with foreground propagation so its pods go too.</summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="name">The workload name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>False when there was no such workload.</returns>
    public async Task<bool> DeleteAsync(WorkspaceIdentity workspace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        KubernetesNames.RequireDns1123Label("name", name);
        var foreground = new V1DeleteOptions { PropagationPolicy = "Foreground" };
        string ns = workspace.Namespace;
        bool deleted = await IgnoreNotFound(() => _kubernetes.BatchV1.DeleteNamespacedJobAsync(name, ns, foreground, cancellationToken: cancellationToken)).ConfigureAwait(false);
        deleted |= await IgnoreNotFound(() => _kubernetes.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, foreground, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (deleted)
        {
            await IgnoreNotFound(() => _kubernetes.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await IgnoreNotFound(() => _kubernetes.CoreV1.DeleteNamespacedSecretAsync(name + "-password", ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            Log.Deleted(_logger, name, ns);
        }

        return deleted;
    }

    /// <summary>
    /// The Job's position among the platform's jobs that are not yet running (oldest first). Lists cluster-wide when
    /// allowed and falls back to the user's namespace when not (403).
    /// </summary>
    /// <param name="workspace">The user's workspace.</param>
    /// <param name="name">The Job name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Null when the Job is not waiting.</returns>
    public async Task<QueuePosition?> GetQueuePositionAsync(WorkspaceIdentity workspace, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        KubernetesNames.RequireDns1123Label("name", name);
        string selector = "app.kubernetes.io/managed-by=" + _options.Conventions.ManagedBy;
        V1JobList jobs;
        bool clusterWide = true;
        try
        {
            jobs = await _kubernetes.BatchV1.ListJobForAllNamespacesAsync(labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Forbidden)
        {
            clusterWide = false;
            jobs = await _kubernetes.BatchV1.ListNamespacedJobAsync(workspace.Namespace, labelSelector: selector, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var queued = jobs.Items.Where(IsQueued)
            .OrderBy(j => j.Metadata.CreationTimestamp ?? DateTime.MaxValue)
            .ThenBy(j => j.Metadata.NamespaceProperty, StringComparer.Ordinal)
            .ThenBy(j => j.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        int index = queued.FindIndex(j => j.Metadata.Name == name && j.Metadata.NamespaceProperty == workspace.Namespace);
        return index < 0 ? null : new QueuePosition(index + 1, queued.Count, clusterWide);
    }

    private static bool IsQueued(V1Job job)
    {
        var status = job.Status;
        bool finished = status?.Conditions?.Any(c => c.Status == "True" && c.Type is "Complete" or "Failed") == true;
        return !finished && (status?.Ready ?? 0) == 0 && (status?.Succeeded ?? 0) == 0;
    }

    private async Task<List<V1Pod>> PodsOfAsync(WorkspaceIdentity workspace, string name, CancellationToken ct)
    {
        var pods = await _kubernetes.CoreV1.ListNamespacedPodAsync(workspace.Namespace, labelSelector: "app.kubernetes.io/instance=" + name, cancellationToken: ct)
            .ConfigureAwait(false);
        return pods.Items.ToList();
    }

    private static IReadOnlyCollection<V1Pod> PodsOf(Dictionary<string, IReadOnlyCollection<V1Pod>> byInstance, string name) =>
        byInstance.TryGetValue(name, out var pods) ? pods : [];

    private static string? FirstWaitingReason(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Select(c => c.State?.Waiting?.Reason ?? c.State?.Terminated?.Reason).FirstOrDefault(r => r is not null);

    private WorkloadSummary Summarize(V1ObjectMeta metadata, WorkloadStatus status)
    {
        var c = _options.Conventions;
        var annotations = metadata.Annotations;
        string datasets = Get(annotations, c.DatasetsAnnotation) ?? "";
        return new WorkloadSummary(metadata.Name, metadata.NamespaceProperty, Get(metadata.Labels, c.WorkloadLabel) ?? "unknown", status,
            metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            datasets.Split(',', StringSplitOptions.RemoveEmptyEntries), Get(annotations, c.ToolNameAnnotation),
            Get(annotations, c.ToolVersionAnnotation));
    }

    private static string? Get(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out string? value) ? value : null;

    private string UserSelector(WorkspaceIdentity workspace) =>
        $"app.kubernetes.io/managed-by={_options.Conventions.ManagedBy},{_options.Conventions.UserLabel}={workspace.UserLabelValue}";

    private async Task PumpAsync<T>(Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, ChannelWriter<object> writer, CancellationToken ct)
    {
        try
        {
            // The API server ends watches after a timeout; resume (re-listing through synthetic ADDED events) until
            // the consumer stops, pausing briefly so that a server closing at once is not hammered.
            while (!ct.IsCancellationRequested)
            {
                await foreach (var item in watch(ct).WithCancellation(ct).ConfigureAwait(false))
                {
                    await writer.WriteAsync(item, ct).ConfigureAwait(false);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            writer.TryWrite(e);
        }
    }

    private async Task CreateAsync(IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        string ns = obj.Metadata.NamespaceProperty;
        switch (obj)
        {
            case V1Job job:
                await _kubernetes.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: ct).ConfigureAwait(false);
                break;
            case V1Deployment deployment:
                await _kubernetes.AppsV1.CreateNamespacedDeploymentAsync(deployment, ns, cancellationToken: ct).ConfigureAwait(false);
                break;
            case V1Service service:
                await _kubernetes.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: ct).ConfigureAwait(false);
                break;
            case V1Secret secret:
                await _kubernetes.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: ct).ConfigureAwait(false);
                break;
            default:
                throw new NotSupportedException($"cannot submit {obj.Kind}");
        }
    }

    private async Task RollBackAsync(List<IKubernetesObject<V1ObjectMeta>> created)
    {
        var foreground = new V1DeleteOptions { PropagationPolicy = "Foreground" };
        foreach (var obj in Enumerable.Reverse(created))
        {
            string ns = obj.Metadata.NamespaceProperty, name = obj.Metadata.Name;
            try
            {
                await (obj switch
                {
                    V1Job => (Task)_kubernetes.BatchV1.DeleteNamespacedJobAsync(name, ns, foreground),
                    V1Deployment => _kubernetes.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, foreground),
                    V1Service => _kubernetes.CoreV1.DeleteNamespacedServiceAsync(name, ns),
                    _ => _kubernetes.CoreV1.DeleteNamespacedSecretAsync(name, ns),
                }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException)
            {
                Log.RollbackFailed(_logger, obj.Kind, name, ns, e);
            }
        }
    }

    private static async Task<bool> IgnoreNotFound(Func<Task> call)
    {
        try
        {
            await call().ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Submitted {Kind} {Name} in {Namespace} reading {DatasetCount} dataset(s)")]
        public static partial void Submitted(ILogger logger, string kind, string name, string @namespace, int datasetCount);

        [LoggerMessage(2, LogLevel.Information, "Deleted workload {Name} in {Namespace}")]
        public static partial void Deleted(ILogger logger, string name, string @namespace);

        [LoggerMessage(3, LogLevel.Warning, "Could not roll back {Kind} {Name} in {Namespace}")]
        public static partial void RollbackFailed(ILogger logger, string kind, string name, string @namespace, Exception exception);
    }
}
