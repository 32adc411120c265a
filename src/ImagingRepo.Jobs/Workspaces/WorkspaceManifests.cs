using System.Globalization;
using ImagingRepo.Jobs.Specs;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Workspaces;

/// <summary>What a workspace is: the user's name, the numeric ids, and the objects that make it.</summary>
/// <param name="Username">The platform user name.</param>
/// <param name="DatasetGid">The user's own dataset GID (assigned by the platform).</param>
public sealed record WorkspaceRequest(string Username, long DatasetGid);

/// <summary>
/// Renders a user's workspace: Namespace, ServiceAccount, Role and RoleBinding, ConfigMap (paths, uid, gid, dataset
/// GID), ResourceQuota, LimitRange and a NetworkPolicy that denies egress except cluster DNS and the platform.
/// </summary>
public static class WorkspaceManifests
{
    /// <summary>Annotation on the namespace holding the user name it belongs to (detects name collisions).</summary>
    public const string UsernameAnnotation = "imagingrepo.eu/username";

    /// <summary>The identity the workspace gives its workloads.</summary>
    /// <param name="request">The user.</param>
    /// <param name="options">Workspace settings.</param>
    /// <exception cref="JobsValidationException">The user name or GID is invalid.</exception>
    public static WorkspaceIdentity Identity(WorkspaceRequest request, WorkspaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        if (request.DatasetGid is <= 0 or > uint.MaxValue)
        {
            throw new JobsValidationException("datasetGid", $"{request.DatasetGid} is not a valid non-root group id");
        }

        if (options.Uid <= 0 || options.Gid <= 0)
        {
            throw new JobsValidationException("workspace.uid", "uid and gid must be positive (never root)");
        }

        return new WorkspaceIdentity(request.Username, WorkspaceNaming.NamespaceFor(request.Username, options.NamespacePrefix),
            options.Uid, options.Gid, request.DatasetGid);
    }

    /// <summary>The workspace's objects, in creation order (namespace first).</summary>
    /// <param name="request">The user.</param>
    /// <param name="options">Workspace settings.</param>
    /// <param name="conventions">Paths and names used by the workloads.</param>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(WorkspaceRequest request, WorkspaceOptions options, PlatformConventions conventions)
    {
        ArgumentNullException.ThrowIfNull(conventions);
        var identity = Identity(request, options);
        string ns = identity.Namespace;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = conventions.ManagedBy,
            [conventions.UserLabel] = identity.UserLabelValue,
        };
        V1ObjectMeta Meta(string name) => new() { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal) };

        var namespaceLabels = new Dictionary<string, string>(labels, StringComparer.Ordinal)
        {
            ["pod-security.kubernetes.io/enforce"] = options.PodSecurityLevel,
            ["kubernetes.io/metadata.name"] = ns,
        };
        var quota = options.Quota;
        string[] dns = options.DnsPodLabel.Split('=', 2);
        string Id(long value) => value.ToString(CultureInfo.InvariantCulture);

        return
        [
            new V1Namespace
            {
                ApiVersion = "v1",
                Kind = "Namespace",
                Metadata = new V1ObjectMeta
                {
                    Name = ns,
                    Labels = namespaceLabels,
                    Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [UsernameAnnotation] = request.Username },
                },
            },
            new V1ServiceAccount
            {
                ApiVersion = "v1",
                Kind = "ServiceAccount",
                Metadata = Meta(options.ServiceAccountName),
                AutomountServiceAccountToken = false,
            },
            new V1Role
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "Role",
                Metadata = Meta(options.RoleName),
                Rules =
                [
                    Rule("", ["pods", "pods/log", "pods/exec", "pods/portforward", "secrets", "configmaps", "persistentvolumeclaims", "services"]),
                    Rule("batch", ["jobs"]),
                    Rule("apps", ["deployments"]),
                    Rule("networking.k8s.io", ["ingresses"]),
                ],
            },
            new V1RoleBinding
            {
                ApiVersion = "rbac.authorization.k8s.io/v1",
                Kind = "RoleBinding",
                Metadata = Meta(options.RoleName),
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = options.RoleName },
                Subjects =
                [
                    new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = options.UserSubjectPrefix + request.Username },
                    new Rbacv1Subject { Kind = "ServiceAccount", Name = options.ServiceAccountName, NamespaceProperty = ns },
                ],
            },
            new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = Meta(conventions.WorkspaceConfigMap),
                Data = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["uid"] = Id(identity.Uid),
                    ["gid"] = Id(identity.Gid),
                    ["datasetGid"] = Id(identity.DatasetGid),
                    ["homePath"] = conventions.HomePath,
                    ["datasetsPath"] = $"{conventions.HomePath}/{conventions.DatasetsFolder}",
                    ["datalakePath"] = conventions.DatalakePath,
                    ["persistentHomePath"] = $"{conventions.HomePath}/{conventions.PersistentHomeFolder}",
                    ["sharedFolderPath"] = $"{conventions.HomePath}/{conventions.SharedFolder}",
                },
            },
            new V1ResourceQuota
            {
                ApiVersion = "v1",
                Kind = "ResourceQuota",
                Metadata = Meta("workspace-quota"),
                Spec = new V1ResourceQuotaSpec
                {
                    Hard = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                    {
                        ["requests.cpu"] = new(quota.RequestsCpu),
                        ["limits.cpu"] = new(quota.LimitsCpu),
                        ["requests.memory"] = new(quota.RequestsMemory),
                        ["limits.memory"] = new(quota.LimitsMemory),
                        ["requests.nvidia.com/gpu"] = new(Id(quota.Gpus)),
                        ["pods"] = new(Id(quota.Pods)),
                    },
                },
            },
            new V1LimitRange
            {
                ApiVersion = "v1",
                Kind = "LimitRange",
                Metadata = Meta("workspace-limits"),
                Spec = new V1LimitRangeSpec
                {
                    Limits =
                    [
                        new V1LimitRangeItem
                        {
                            Type = "Container",
                            DefaultRequest = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(quota.DefaultCpuRequest), ["memory"] = new(quota.DefaultMemoryRequest) },
                            DefaultProperty = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(quota.DefaultCpuLimit), ["memory"] = new(quota.DefaultMemoryLimit) },
                            Max = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(quota.LimitsCpu), ["memory"] = new(quota.LimitsMemory) },
                        },
                    ],
                },
            },
            new V1NetworkPolicy
            {
                ApiVersion = "networking.k8s.io/v1",
                Kind = "NetworkPolicy",
                Metadata = Meta("workspace-egress"),
                Spec = new V1NetworkPolicySpec
                {
                    PodSelector = new V1LabelSelector(),
                    PolicyTypes = ["Egress"],
                    Egress =
                    [
                        new V1NetworkPolicyEgressRule
                        {
                            To =
                            [
                                new V1NetworkPolicyPeer
                                {
                                    NamespaceSelector = NamespaceSelector(options.DnsNamespace),
                                    PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { [dns[0]] = dns.Length > 1 ? dns[1] : "" } },
                                },
                            ],
                            Ports = [new V1NetworkPolicyPort { Protocol = "UDP", Port = 53 }, new V1NetworkPolicyPort { Protocol = "TCP", Port = 53 }],
                        },
                        new V1NetworkPolicyEgressRule { To = [new V1NetworkPolicyPeer { NamespaceSelector = NamespaceSelector(options.PlatformNamespace) }] },
                    ],
                },
            },
        ];
    }

    private static V1LabelSelector NamespaceSelector(string name) =>
        new() { MatchLabels = new Dictionary<string, string>(StringComparer.Ordinal) { ["kubernetes.io/metadata.name"] = name } };

    private static V1PolicyRule Rule(string group, IList<string> resources) => new()
    {
        ApiGroups = [group],
        Resources = resources,
        Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"],
    };
}
