using ImagingRepo.Jobs.Specs;
using k8s.Models;

namespace ImagingRepo.Jobs.Policies;

/// <summary>
/// Checks Kubernetes objects against the platform rules in-process and returns every violation (not just the first).
/// Pod specs are found in Pods, Jobs, CronJobs, Deployments, StatefulSets, DaemonSets and ReplicaSets.
/// Thread-safe.
/// </summary>
public sealed class PolicyChecker
{
    internal const string TemplatePodPath = "spec.template.spec";
    private const string PodPath = "spec";
    private const string CronJobPodPath = "spec.jobTemplate.spec.template.spec";

    private readonly PolicyOptions _options;
    private readonly PolicyRule[] _podRules;
    private readonly PolicyRule[] _serviceRules;

    /// <summary>Creates a checker with the platform rules.</summary>
    /// <param name="options">Allowed registries and volume types.</param>
    /// <param name="rules">The rules, or null for <see cref="PlatformPolicies.Rules"/>.</param>
    public PolicyChecker(PolicyOptions options, IEnumerable<PolicyRule>? rules = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        var all = (rules ?? PlatformPolicies.Rules).ToArray();
        _podRules = Array.FindAll(all, r => r.Target == PolicyTargetKind.PodSpec);
        _serviceRules = Array.FindAll(all, r => r.Target == PolicyTargetKind.Service);
    }

    /// <summary>Checks one object.</summary>
    /// <param name="obj">A KubernetesClient model (other kinds have no rules and pass).</param>
    /// <param name="workspace">The workspace it runs in, for the uid/gid/supplemental-group rules; null checks only that they are not root.</param>
    public IReadOnlyList<PolicyViolation> Check(object obj, WorkspaceIdentity? workspace = null)
    {
        var sink = new List<PolicyViolation>();
        CheckInto(obj, workspace, sink);
        return sink;
    }

    /// <summary>Checks several objects (e.g. a rendered workload or a multi-document template).</summary>
    /// <param name="objects">The objects.</param>
    /// <param name="workspace">The workspace they run in, or null.</param>
    public IReadOnlyList<PolicyViolation> CheckAll(IEnumerable<object> objects, WorkspaceIdentity? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var sink = new List<PolicyViolation>();
        foreach (object obj in objects)
        {
            CheckInto(obj, workspace, sink);
        }

        return sink;
    }

    /// <summary>Checks one object, appending violations to <paramref name="sink"/>; returns how many were added.</summary>
    /// <param name="obj">The object.</param>
    /// <param name="workspace">The workspace it runs in, or null.</param>
    /// <param name="sink">Where violations go.</param>
    public int CheckInto(object obj, WorkspaceIdentity? workspace, List<PolicyViolation> sink)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(sink);
        int before = sink.Count;
        var (kind, name, pod, path, service) = obj switch
        {
            V1Job job => ("Job", job.Metadata?.Name, job.Spec?.Template?.Spec, TemplatePodPath, (V1Service?)null),
            V1Pod p => ("Pod", p.Metadata?.Name, p.Spec, PodPath, null),
            V1Deployment d => ("Deployment", d.Metadata?.Name, d.Spec?.Template?.Spec, TemplatePodPath, null),
            V1StatefulSet s => ("StatefulSet", s.Metadata?.Name, s.Spec?.Template?.Spec, TemplatePodPath, null),
            V1DaemonSet ds => ("DaemonSet", ds.Metadata?.Name, ds.Spec?.Template?.Spec, TemplatePodPath, null),
            V1ReplicaSet rs => ("ReplicaSet", rs.Metadata?.Name, rs.Spec?.Template?.Spec, TemplatePodPath, null),
            V1CronJob cj => ("CronJob", cj.Metadata?.Name, cj.Spec?.JobTemplate?.Spec?.Template?.Spec, CronJobPodPath, null),
            V1Service svc => ("Service", svc.Metadata?.Name, null, "", svc),
            _ => ("", null, null, "", null),
        };

        var evaluation = new PolicyEvaluation
        {
            ObjectName = kind + "/" + (name ?? "(unnamed)"),
            PodPath = path,
            Pod = pod,
            Service = service,
            Workspace = workspace,
            Options = _options,
            Sink = sink,
        };

        if (pod is not null)
        {
            Run(_podRules, evaluation);
        }
        else if (service is not null)
        {
            Run(_serviceRules, evaluation);
        }

        return sink.Count - before;
    }

    /// <summary>Throws <see cref="PolicyViolationException"/> listing every violation when any object breaks a rule.</summary>
    /// <param name="workload">The rendered workload.</param>
    /// <param name="workspace">The workspace it runs in.</param>
    /// <exception cref="PolicyViolationException">A rule is broken.</exception>
    public void Enforce(RenderedWorkload workload, WorkspaceIdentity workspace)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var violations = CheckAll(workload.Objects, workspace);
        if (violations.Count > 0)
        {
            throw new PolicyViolationException(violations);
        }
    }

    private static void Run(PolicyRule[] rules, PolicyEvaluation evaluation)
    {
        foreach (var rule in rules)
        {
            evaluation.Rule = rule;
            rule.Check(evaluation);
        }
    }
}
