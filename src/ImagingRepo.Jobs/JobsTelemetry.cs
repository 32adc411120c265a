using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ImagingRepo.Jobs;

/// <summary>
/// The library's ActivitySource and Meter (both named <see cref="Name"/>); register them with OpenTelemetry
/// (<c>AddSource(JobsTelemetry.Name)</c>, <c>AddMeter(JobsTelemetry.Name)</c>). Tags carry kinds and outcomes, never
/// user names or dataset ids.
/// </summary>
public static class JobsTelemetry
{
    /// <summary>Name of the ActivitySource and the Meter.</summary>
    public const string Name = "ImagingRepo.Jobs";

    internal static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    internal static readonly Counter<long> Submitted = Meter.CreateCounter<long>("imagingrepo.jobs.submitted", description: "Workloads created in the cluster");

    internal static readonly Counter<long> Refused = Meter.CreateCounter<long>("imagingrepo.jobs.refused", description: "Submissions refused before reaching the cluster");

    internal static readonly Counter<long> WorkspacesProvisioned = Meter.CreateCounter<long>("imagingrepo.workspaces.provisioned", description: "Workspace provisioning runs completed");

    internal static readonly Counter<long> Conflicts = Meter.CreateCounter<long>("imagingrepo.workspaces.conflicts", description: "resourceVersion conflicts retried while provisioning");

    internal static string RefusalReason(Exception e) => e switch
    {
        DatasetAccessDeniedException => "dataset-access",
        PolicyViolationException => "policy",
        JobsValidationException { Field: "parallelism" or "gpus" } v when v.Reason.Contains("quota", StringComparison.Ordinal) => "quota",
        JobsValidationException { Field: "flavor" } v when v.Reason.Contains("quota", StringComparison.Ordinal) => "quota",
        _ => "validation",
    };
}
