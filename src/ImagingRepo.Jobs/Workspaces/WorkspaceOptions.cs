namespace ImagingRepo.Jobs.Workspaces;

/// <summary>Settings of per-user workspace provisioning (what the platform's authorizer does on first login).</summary>
public sealed class WorkspaceOptions
{
    /// <summary>Prefix of workspace namespaces.</summary>
    public string NamespacePrefix { get; set; } = "user-";

    /// <summary>Prefix the API server's authenticator gives user names (RBAC subject = prefix + user name).</summary>
    public string UserSubjectPrefix { get; set; } = "oidc:";

    /// <summary>Name of the namespace Role and RoleBinding.</summary>
    public string RoleName { get; set; } = "workspace-user";

    /// <summary>Name of the workspace ServiceAccount.</summary>
    public string ServiceAccountName { get; set; } = "workspace";

    /// <summary>User id every workspace runs as (the platform uses one uid for all users).</summary>
    public long Uid { get; set; } = 1000;

    /// <summary>Primary group id and fsGroup.</summary>
    public long Gid { get; set; } = 1000;

    /// <summary>Pod Security Admission level enforced on the namespace (<c>restricted</c>; <c>baseline</c> if CephFS volumes are used).</summary>
    public string PodSecurityLevel { get; set; } = "restricted";

    /// <summary>Namespace of the platform services the workspace may reach.</summary>
    public string PlatformNamespace { get; set; } = "chaimeleon-platform";

    /// <summary>Namespace of the cluster DNS.</summary>
    public string DnsNamespace { get; set; } = "kube-system";

    /// <summary>Label selecting the cluster DNS pods (<c>key=value</c>).</summary>
    public string DnsPodLabel { get; set; } = "k8s-app=kube-dns";

    /// <summary>The workspace's resource quota.</summary>
    public WorkspaceQuota Quota { get; set; } = new();

    /// <summary>
    /// How often an update that lost a race with another writer (409 Conflict on the resourceVersion) is read and
    /// tried again before the conflict is thrown; 0 throws the first one.
    /// </summary>
    public int ConflictRetries { get; set; } = 7;

    /// <summary>Median delay before the first conflict retry; it grows exponentially, with jitter so that racing writers part.</summary>
    public TimeSpan ConflictRetryDelay { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>Resource quota and default limits of a workspace.</summary>
public sealed class WorkspaceQuota
{
    /// <summary>Total CPU requests.</summary>
    public string RequestsCpu { get; set; } = "4";

    /// <summary>Total CPU limits.</summary>
    public string LimitsCpu { get; set; } = "6";

    /// <summary>Total memory requests.</summary>
    public string RequestsMemory { get; set; } = "25Gi";

    /// <summary>Total memory limits.</summary>
    public string LimitsMemory { get; set; } = "50Gi";

    /// <summary>Total GPUs.</summary>
    public int Gpus { get; set; } = 2;

    /// <summary>Maximum number of pods.</summary>
    public int Pods { get; set; } = 20;

    /// <summary>Default CPU request of a container that sets none (LimitRange).</summary>
    public string DefaultCpuRequest { get; set; } = "500m";

    /// <summary>Default CPU limit (LimitRange).</summary>
    public string DefaultCpuLimit { get; set; } = "1";

    /// <summary>Default memory request (LimitRange).</summary>
    public string DefaultMemoryRequest { get; set; } = "1Gi";

    /// <summary>Default memory limit (LimitRange).</summary>
    public string DefaultMemoryLimit { get; set; } = "2Gi";
}
