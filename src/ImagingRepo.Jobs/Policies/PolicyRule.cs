using k8s.Models;

namespace ImagingRepo.Jobs.Policies;

/// <summary>What a rule inspects.</summary>
public enum PolicyTargetKind
{
    /// <summary>A pod spec, standalone or inside a Job, CronJob, Deployment, StatefulSet, DaemonSet or ReplicaSet.</summary>
    PodSpec,

    /// <summary>A Service.</summary>
    Service,
}

/// <summary>
/// One platform rule: a name, a message, an in-process check and its Kyverno form. The same table drives
/// <see cref="PolicyChecker"/> and <see cref="KyvernoPolicyWriter"/>, so the cluster enforces what the SDK checks.
/// </summary>
public sealed class PolicyRule
{
    internal PolicyRule(string name, string message, PolicyTargetKind target,
        Action<PolicyEvaluation> check, Func<PolicyOptions, Dictionary<string, object>> kyverno)
        => (Name, Message, Target, Check, Kyverno) = (name, message, target, check, kyverno);

    /// <summary>Rule name (Kyverno rule name).</summary>
    public string Name { get; }

    /// <summary>Why the rule exists, shown with each violation.</summary>
    public string Message { get; }

    /// <summary>What the rule inspects.</summary>
    public PolicyTargetKind Target { get; }

    internal Action<PolicyEvaluation> Check { get; }

    internal Func<PolicyOptions, Dictionary<string, object>> Kyverno { get; }
}

/// <summary>The state handed to a rule's check: the target, where it sits, and the sink for violations.</summary>
internal sealed class PolicyEvaluation
{
    public PolicyRule Rule = null!;
    public string ObjectName = "";
    public string PodPath = "";
    public V1PodSpec? Pod;
    public V1Service? Service;
    public Specs.WorkspaceIdentity? Workspace;
    public PolicyOptions Options = null!;
    public List<PolicyViolation> Sink = null!;

    public void Report(string path) => Sink.Add(new PolicyViolation(Rule.Name, ObjectName, path, Rule.Message));

    public void Report(string path, string detail) =>
        Sink.Add(new PolicyViolation(Rule.Name, ObjectName, path, Rule.Message + " (" + detail + ")"));
}
