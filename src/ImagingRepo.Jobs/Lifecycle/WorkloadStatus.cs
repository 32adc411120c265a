using k8s.Models;

namespace ImagingRepo.Jobs.Lifecycle;

/// <summary>Where a workload is in its life.</summary>
public enum WorkloadPhase
{
    /// <summary>Accepted, but no container is running yet (scheduling, pulling images, waiting in the queue).</summary>
    Pending,

    /// <summary>At least one container is running.</summary>
    Running,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Finished with a failure; <see cref="WorkloadStatus.Reason"/> says why.</summary>
    Failed,

    /// <summary>The workload no longer exists.</summary>
    Deleted,
}

/// <summary>A workload's status with the reason Kubernetes gives (ImagePullBackOff, OOMKilled, Evicted, DeadlineExceeded…).</summary>
/// <param name="Phase">The phase.</param>
/// <param name="Reason">The machine-readable reason, or null.</param>
/// <param name="Message">The human message, or null.</param>
/// <param name="Active">Pods pending or running.</param>
/// <param name="Succeeded">Pods succeeded.</param>
/// <param name="Failed">Pods failed.</param>
public sealed record WorkloadStatus(WorkloadPhase Phase, string? Reason, string? Message, int Active, int Succeeded, int Failed)
{
    /// <summary>True once the workload can no longer change.</summary>
    public bool IsTerminal => Phase is WorkloadPhase.Succeeded or WorkloadPhase.Failed or WorkloadPhase.Deleted;

    /// <inheritdoc />
    public override string ToString() => Reason is null ? Phase.ToString() : $"{Phase} ({Reason})";
}

/// <summary>Derives <see cref="WorkloadStatus"/> from a Job or Deployment and its pods.</summary>
public static class WorkloadStatusInterpreter
{
    private static readonly string[] WaitingReasons =
        ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError"];

    /// <summary>The status of a Job given its pods.</summary>
    /// <param name="job">The Job.</param>
    /// <param name="pods">Its pods (any order).</param>
    public static WorkloadStatus FromJob(V1Job job, IReadOnlyCollection<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pods);
        var status = job.Status;
        int active = status?.Active ?? 0, succeeded = status?.Succeeded ?? 0, failed = status?.Failed ?? 0;
        var (podReason, podMessage, anyRunning) = FromPods(pods);

        foreach (var condition in status?.Conditions ?? [])
        {
            if (condition.Status != "True")
            {
                continue;
            }

            if (condition.Type == "Complete")
            {
                return new WorkloadStatus(WorkloadPhase.Succeeded, null, condition.Message, active, succeeded, failed);
            }

            if (condition.Type == "Failed")
            {
                // A pod's own reason (OOMKilled, Evicted) says more than BackoffLimitExceeded; a deadline is the job's.
                bool preferPod = podReason is not null && condition.Reason is "BackoffLimitExceeded" or "FailedIndexes" or null;
                return new WorkloadStatus(WorkloadPhase.Failed, preferPod ? podReason : condition.Reason, preferPod ? podMessage : condition.Message,
                    active, succeeded, failed);
            }
        }

        return new WorkloadStatus(anyRunning ? WorkloadPhase.Running : WorkloadPhase.Pending, podReason, podMessage, active, succeeded, failed);
    }

    /// <summary>The status of an interactive session's Deployment given its pods.</summary>
    /// <param name="deployment">The Deployment.</param>
    /// <param name="pods">Its pods.</param>
    public static WorkloadStatus FromDeployment(V1Deployment deployment, IReadOnlyCollection<V1Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(pods);
        var (reason, message, anyRunning) = FromPods(pods);
        int ready = deployment.Status?.ReadyReplicas ?? 0;
        return new WorkloadStatus(anyRunning || ready > 0 ? WorkloadPhase.Running : WorkloadPhase.Pending, reason, message, pods.Count, 0, 0);
    }

    private static (string? Reason, string? Message, bool AnyRunning) FromPods(IReadOnlyCollection<V1Pod> pods)
    {
        string? reason = null, message = null;
        bool running = false;
        foreach (var pod in pods)
        {
            var status = pod.Status;
            if (status is null)
            {
                continue;
            }

            running |= status.Phase == "Running";
            if (status.Reason is "Evicted" or "DeadlineExceeded" or "Preempting")
            {
                (reason, message) = (status.Reason, status.Message);
            }

            foreach (var container in status.ContainerStatuses ?? [])
            {
                if (container.State?.Waiting is { } waiting && Array.IndexOf(WaitingReasons, waiting.Reason) >= 0)
                {
                    reason ??= waiting.Reason;
                    message ??= waiting.Message;
                }

                var terminated = container.State?.Terminated ?? container.LastState?.Terminated;
                if (terminated is { Reason: "OOMKilled" or "Error" or "ContainerCannotRun" } && terminated.ExitCode != 0)
                {
                    if (reason is null || terminated.Reason == "OOMKilled")
                    {
                        (reason, message) = (terminated.Reason, terminated.Message ?? $"exit code {terminated.ExitCode}");
                    }
                }
            }

            foreach (var condition in status.Conditions ?? [])
            {
                if (condition is { Type: "PodScheduled", Status: "False", Reason: "Unschedulable" })
                {
                    reason ??= condition.Reason;
                    message ??= condition.Message;
                }
            }
        }

        return (reason, message, running);
    }
}

/// <summary>One of the user's workloads as listed.</summary>
/// <param name="Name">The workload name.</param>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Kind">batch, htc, interactive or inference.</param>
/// <param name="Status">Its status.</param>
/// <param name="CreatedAt">When it was created, if known.</param>
/// <param name="DatasetIds">The datasets it mounts.</param>
/// <param name="ToolName">Tool name annotation.</param>
/// <param name="ToolVersion">Tool version annotation.</param>
public sealed record WorkloadSummary(string Name, string Namespace, string Kind, WorkloadStatus Status, DateTimeOffset? CreatedAt,
    IReadOnlyList<string> DatasetIds, string? ToolName, string? ToolVersion);

/// <summary>A workload with its pods.</summary>
/// <param name="Summary">The summary.</param>
/// <param name="Pods">Pod names with phase and node.</param>
/// <param name="Image">The main container's image.</param>
public sealed record WorkloadDetails(WorkloadSummary Summary, IReadOnlyList<PodSummary> Pods, string? Image);

/// <summary>A pod of a workload.</summary>
/// <param name="Name">Pod name.</param>
/// <param name="Phase">Pod phase.</param>
/// <param name="Reason">Reason, if any.</param>
/// <param name="Node">Node name, if scheduled.</param>
public sealed record PodSummary(string Name, string? Phase, string? Reason, string? Node);

/// <summary>Where a workload stands in the platform's queue of jobs not yet running.</summary>
/// <param name="Position">1-based position.</param>
/// <param name="Length">Number of queued jobs visible to the caller.</param>
/// <param name="ClusterWide">False when only the user's namespace could be listed.</param>
public sealed record QueuePosition(int Position, int Length, bool ClusterWide);
