using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using k8s.Models;

namespace ImagingRepo.Jobs.Lifecycle;

/// <summary>Refuses a workload whose pods running at once would exceed the workspace quota on their own.</summary>
public static class QuotaCheck
{
    /// <summary>Throws when the workload cannot fit the quota even in an empty workspace.</summary>
    /// <param name="spec">The workload.</param>
    /// <param name="flavor">Its resource flavour.</param>
    /// <param name="quota">The workspace quota.</param>
    /// <exception cref="JobsValidationException">The request exceeds the quota.</exception>
    public static void Enforce(WorkloadSpec spec, ResourceFlavor flavor, WorkspaceQuota quota)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(flavor);
        ArgumentNullException.ThrowIfNull(quota);
        int pods = spec is HtcJob htc ? htc.Parallelism : 1;
        string field = pods > 1 ? "parallelism" : "flavor";
        int gpus = spec is InferenceJob { Gpus: { } g } ? g : flavor.Gpus;
        Check(field, "requests.cpu", flavor.CpuRequest, pods, quota.RequestsCpu);
        Check(field, "limits.cpu", flavor.CpuLimit, pods, quota.LimitsCpu);
        Check(field, "requests.memory", flavor.MemoryRequest, pods, quota.RequestsMemory);
        Check(field, "limits.memory", flavor.MemoryLimit, pods, quota.LimitsMemory);
        if ((long)gpus * pods > quota.Gpus)
        {
            throw new JobsValidationException(spec is InferenceJob { Gpus: not null } ? "gpus" : field,
                $"{pods} pod(s) x {gpus} GPU(s) exceed the workspace quota of {quota.Gpus} GPU(s)");
        }
    }

    private static void Check(string field, string resource, string perPod, int pods, string hard)
    {
        decimal total = new ResourceQuantity(perPod).ToDecimal() * pods;
        if (total > new ResourceQuantity(hard).ToDecimal())
        {
            throw new JobsValidationException(field, $"{pods} pod(s) x {resource} {perPod} exceed the workspace quota of {hard}");
        }
    }
}
