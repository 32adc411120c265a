using k8s.Models;

namespace ImagingRepo.Jobs.Policies;

/// <summary>
/// The platform's rules (CHAIMELEON's Kyverno policies, tightened), as one declarative table: each entry has a name,
/// a message, an in-process check and its Kyverno ClusterPolicy rule.
/// </summary>
public static class PlatformPolicies
{
    private static readonly PolicyRule[] AllRules = Build();

    /// <summary>Every rule, in evaluation order.</summary>
    public static IReadOnlyList<PolicyRule> Rules => AllRules;

    private delegate void ContainerCheck(PolicyEvaluation e, V1Container container, string path);

    private static PolicyRule[] Build() =>
    [
        new("disallow-privileged-containers", "privileged containers are not allowed", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                if (c.SecurityContext?.Privileged == true)
                {
                    e.Report(path + ".securityContext.privileged");
                }
            }),
            _ => PodPattern(ContainersPattern(new() { ["=(securityContext)"] = new Dictionary<string, object> { ["=(privileged)"] = false } }))),

        new("disallow-privilege-escalation", "allowPrivilegeEscalation must be false", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                if (c.SecurityContext?.AllowPrivilegeEscalation != false)
                {
                    e.Report(path + ".securityContext.allowPrivilegeEscalation");
                }
            }),
            _ => PodPattern(ContainersPattern(new() { ["securityContext"] = new Dictionary<string, object> { ["allowPrivilegeEscalation"] = false } }))),

        new("require-drop-all-capabilities", "containers must drop ALL capabilities and add none", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                var capabilities = c.SecurityContext?.Capabilities;
                if (capabilities?.Drop is not { } drop || !drop.Contains("ALL"))
                {
                    e.Report(path + ".securityContext.capabilities.drop");
                }

                if (capabilities?.Add is { Count: > 0 })
                {
                    e.Report(path + ".securityContext.capabilities.add");
                }
            }),
            _ => ForEachContainerDeny(
                Condition("ALL", "AnyNotIn", "{{ element.securityContext.capabilities.drop[] || `[]` }}"),
                Condition("{{ element.securityContext.capabilities.add[] || `[]` | length(@) }}", "GreaterThan", 0))),

        new("require-seccomp-runtime-default", "the pod must use the RuntimeDefault (or a Localhost) seccomp profile", PolicyTargetKind.PodSpec,
            e =>
            {
                string? podProfile = e.Pod!.SecurityContext?.SeccompProfile?.Type;
                EachContainer(e, podProfile, static (e, c, path, podProfile) =>
                {
                    string? type = c.SecurityContext?.SeccompProfile?.Type ?? podProfile;
                    if (type is not ("RuntimeDefault" or "Localhost"))
                    {
                        e.Report(path + ".securityContext.seccompProfile.type", $"found '{type ?? "unset"}'");
                    }
                });
            },
            _ => PodPattern(new Dictionary<string, object>
            {
                ["securityContext"] = new Dictionary<string, object> { ["seccompProfile"] = new Dictionary<string, object> { ["type"] = "RuntimeDefault | Localhost" } },
            })),

        new("disallow-host-namespaces", "hostNetwork, hostPID and hostIPC are not allowed", PolicyTargetKind.PodSpec,
            e =>
            {
                if (e.Pod!.HostNetwork == true) e.Report(e.PodPath + ".hostNetwork");
                if (e.Pod.HostPID == true) e.Report(e.PodPath + ".hostPID");
                if (e.Pod.HostIPC == true) e.Report(e.PodPath + ".hostIPC");
            },
            _ => PodPattern(new Dictionary<string, object> { ["=(hostNetwork)"] = false, ["=(hostPID)"] = false, ["=(hostIPC)"] = false })),

        new("disallow-host-path", "hostPath volumes are not allowed", PolicyTargetKind.PodSpec,
            e =>
            {
                if (e.Pod!.Volumes is { } volumes)
                {
                    for (int i = 0; i < volumes.Count; i++)
                    {
                        if (volumes[i].HostPath is not null)
                        {
                            e.Report($"{e.PodPath}.volumes[{i}].hostPath");
                        }
                    }
                }
            },
            _ => PodPattern(new Dictionary<string, object> { ["=(volumes)"] = new object[] { new Dictionary<string, object> { ["X(hostPath)"] = "null" } } })),

        new("disallow-host-ports", "host ports are not allowed", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                if (c.Ports is { } ports)
                {
                    for (int i = 0; i < ports.Count; i++)
                    {
                        if (ports[i].HostPort is > 0)
                        {
                            e.Report($"{path}.ports[{i}].hostPort");
                        }
                    }
                }
            }),
            _ => PodPattern(ContainersPattern(new() { ["=(ports)"] = new object[] { new Dictionary<string, object> { ["=(hostPort)"] = 0 } } }))),

        new("restrict-volume-types", "only the platform's volume types are allowed", PolicyTargetKind.PodSpec,
            e =>
            {
                if (e.Pod!.Volumes is { } volumes)
                {
                    for (int i = 0; i < volumes.Count; i++)
                    {
                        string type = VolumeType(volumes[i]);
                        if (!e.Options.AllowedVolumeTypes.Contains(type))
                        {
                            e.Report($"{e.PodPath}.volumes[{i}].{type}", $"'{type}' is not one of {string.Join(", ", e.Options.AllowedVolumeTypes)}");
                        }
                    }
                }
            },
            options => Deny(Condition("{{ request.object.spec.volumes[].keys(@)[] || `[]` }}", "AnyNotIn",
                new object[] { "name" }.Concat(options.AllowedVolumeTypes).ToArray()))),

        new("restrict-image-registries", "images must come from the platform registry", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                string image = c.Image ?? "";
                foreach (string prefix in e.Options.AllowedRegistries)
                {
                    if (image.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return;
                    }
                }

                e.Report(path + ".image", $"'{image}' is not under {string.Join(" or ", e.Options.AllowedRegistries)}");
            }),
            options => PodPattern(ContainersPattern(new() { ["image"] = string.Join(" | ", options.AllowedRegistries.Select(r => r + "*")) }))),

        new("require-resource-limits", "CPU and memory limits are required", PolicyTargetKind.PodSpec,
            e => EachContainer(e, static (e, c, path) =>
            {
                var limits = c.Resources?.Limits;
                if (limits is null || !limits.ContainsKey("cpu")) e.Report(path + ".resources.limits.cpu");
                if (limits is null || !limits.ContainsKey("memory")) e.Report(path + ".resources.limits.memory");
            }),
            _ => PodPattern(ContainersPattern(new()
            {
                ["resources"] = new Dictionary<string, object> { ["limits"] = new Dictionary<string, object> { ["cpu"] = "?*", ["memory"] = "?*" } },
            }))),

        new("require-run-as-non-root", "containers must run as a non-root user", PolicyTargetKind.PodSpec,
            e =>
            {
                var pod = e.Pod!.SecurityContext;
                if (pod?.RunAsUser == 0) e.Report(e.PodPath + ".securityContext.runAsUser");
                bool podNonRoot = pod?.RunAsNonRoot == true;
                EachContainer(e, podNonRoot, static (e, c, path, podNonRoot) =>
                {
                    if (c.SecurityContext?.RunAsUser == 0) e.Report(path + ".securityContext.runAsUser");
                    if (!(c.SecurityContext?.RunAsNonRoot ?? podNonRoot)) e.Report(path + ".securityContext.runAsNonRoot");
                });
            },
            _ => PodPattern(new Dictionary<string, object>
            {
                ["securityContext"] = new Dictionary<string, object> { ["runAsNonRoot"] = true, ["=(runAsUser)"] = ">0" },
                ["containers"] = new object[] { new Dictionary<string, object> { ["=(securityContext)"] = new Dictionary<string, object> { ["=(runAsNonRoot)"] = true, ["=(runAsUser)"] = ">0" } } },
            })),

        new("require-workspace-uid-gid", "runAsUser, runAsGroup and fsGroup must be the workspace's uid and gid", PolicyTargetKind.PodSpec,
            e =>
            {
                var pod = e.Pod!.SecurityContext;
                var ws = e.Workspace;
                CheckId(e, e.PodPath + ".securityContext.runAsUser", pod?.RunAsUser, ws?.Uid);
                CheckId(e, e.PodPath + ".securityContext.runAsGroup", pod?.RunAsGroup, ws?.Gid);
                CheckId(e, e.PodPath + ".securityContext.fsGroup", pod?.FsGroup, ws?.Gid);
                EachContainer(e, static (e, c, path) =>
                {
                    if (c.SecurityContext?.RunAsUser is { } uid && uid != (e.Workspace?.Uid ?? uid)) e.Report(path + ".securityContext.runAsUser", $"found {uid}");
                    if (c.SecurityContext?.RunAsGroup is { } gid && gid != (e.Workspace?.Gid ?? gid)) e.Report(path + ".securityContext.runAsGroup", $"found {gid}");
                });
            },
            options => WorkspaceDeny(options,
                Condition("{{ to_string(request.object.spec.securityContext.runAsUser || `0`) }}", "NotEquals", "{{ workspace.data.uid }}"),
                Condition("{{ to_string(request.object.spec.securityContext.runAsGroup || `0`) }}", "NotEquals", "{{ workspace.data.gid }}"),
                Condition("{{ to_string(request.object.spec.securityContext.fsGroup || `0`) }}", "NotEquals", "{{ workspace.data.gid }}"))),

        new("restrict-supplemental-groups", "the only supplemental group allowed is the user's own dataset GID", PolicyTargetKind.PodSpec,
            e =>
            {
                var groups = e.Pod!.SecurityContext?.SupplementalGroups;
                if (groups is null)
                {
                    return;
                }

                for (int i = 0; i < groups.Count; i++)
                {
                    bool allowed = e.Workspace is { } ws ? groups[i] == ws.DatasetGid : i == 0 && groups[i] > 0;
                    if (!allowed)
                    {
                        e.Report($"{e.PodPath}.securityContext.supplementalGroups[{i}]", $"found {groups[i]}");
                    }
                }
            },
            options => WorkspaceDeny(options,
                Condition("{{ request.object.spec.securityContext.supplementalGroups[].to_string(@) || `[]` }}", "AnyNotIn", new object[] { "{{ workspace.data.datasetGid }}" }))),

        new("disallow-nodeport-services", "NodePort and LoadBalancer services are not allowed", PolicyTargetKind.Service,
            e =>
            {
                var spec = e.Service!.Spec;
                if (spec?.Type is "NodePort" or "LoadBalancer") e.Report("spec.type", $"found '{spec.Type}'");
                if (spec?.Ports is { } ports)
                {
                    for (int i = 0; i < ports.Count; i++)
                    {
                        if (ports[i].NodePort is > 0) e.Report($"spec.ports[{i}].nodePort");
                    }
                }
            },
            _ => ServicePattern(new Dictionary<string, object> { ["=(type)"] = "!NodePort & !LoadBalancer" })),

        new("disallow-external-ips", "services must not set external IPs", PolicyTargetKind.Service,
            e =>
            {
                if (e.Service!.Spec?.ExternalIPs is { Count: > 0 }) e.Report("spec.externalIPs");
            },
            _ => ServicePattern(new Dictionary<string, object> { ["X(externalIPs)"] = "null" })),
    ];

    private static void CheckId(PolicyEvaluation e, string path, long? actual, long? expected)
    {
        if (actual is null)
        {
            e.Report(path, "not set");
        }
        else if (actual <= 0 || (expected is { } x && actual != x))
        {
            e.Report(path, expected is { } y ? $"found {actual}, expected {y}" : $"found {actual}");
        }
    }

    private static void EachContainer(PolicyEvaluation e, ContainerCheck check)
    {
        var pod = e.Pod!;
        if (pod.InitContainers is { } init)
        {
            for (int i = 0; i < init.Count; i++)
            {
                check(e, init[i], $"{e.PodPath}.initContainers[{i}]");
            }
        }

        if (pod.Containers is { } containers)
        {
            for (int i = 0; i < containers.Count; i++)
            {
                check(e, containers[i], ContainerPath(e.PodPath, i));
            }
        }
    }

    private static void EachContainer<TState>(PolicyEvaluation e, TState state, Action<PolicyEvaluation, V1Container, string, TState> check)
    {
        EachContainer(e, (ev, c, path) => check(ev, c, path, state));
    }

    // Container paths are built for every container; cache the common prefixes so the happy path allocates nothing.
    private static readonly string[] JobContainerPaths = Enumerable.Range(0, 8).Select(i => $"spec.template.spec.containers[{i}]").ToArray();

    private static string ContainerPath(string podPath, int index) =>
        index < JobContainerPaths.Length && ReferenceEquals(podPath, PolicyChecker.TemplatePodPath)
            ? JobContainerPaths[index]
            : $"{podPath}.containers[{index}]";

    /// <summary>The volume source type of <paramref name="volume"/>, in the API's spelling.</summary>
    /// <param name="volume">The volume.</param>
    public static string VolumeType(V1Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        return volume switch
        {
            { PersistentVolumeClaim: not null } => "persistentVolumeClaim",
            { ConfigMap: not null } => "configMap",
            { Secret: not null } => "secret",
            { EmptyDir: not null } => "emptyDir",
            { Cephfs: not null } => "cephfs",
            { Projected: not null } => "projected",
            { DownwardAPI: not null } => "downwardAPI",
            { Ephemeral: not null } => "ephemeral",
            { HostPath: not null } => "hostPath",
            { Nfs: not null } => "nfs",
            { Csi: not null } => "csi",
            { Rbd: not null } => "rbd",
            { Iscsi: not null } => "iscsi",
            { GitRepo: not null } => "gitRepo",
            { FlexVolume: not null } => "flexVolume",
            { Image: not null } => "image",
            { AwsElasticBlockStore: not null } => "awsElasticBlockStore",
            { AzureDisk: not null } => "azureDisk",
            { AzureFile: not null } => "azureFile",
            { GcePersistentDisk: not null } => "gcePersistentDisk",
            { Glusterfs: not null } => "glusterfs",
            { Fc: not null } => "fc",
            _ => "unknown",
        };
    }

    // Kyverno building blocks.
    private static Dictionary<string, object> ContainersPattern(Dictionary<string, object> container) => new()
    {
        ["=(initContainers)"] = new object[] { container },
        ["containers"] = new object[] { container },
    };

    private static Dictionary<string, object> PodPattern(Dictionary<string, object> spec) => new()
    {
        ["pattern"] = new Dictionary<string, object> { ["spec"] = spec },
    };

    private static Dictionary<string, object> ServicePattern(Dictionary<string, object> spec) => new()
    {
        ["kinds"] = new object[] { "Service" },
        ["pattern"] = new Dictionary<string, object> { ["spec"] = spec },
    };

    private static Dictionary<string, object> Condition(string key, string op, object value) => new()
    {
        ["key"] = key,
        ["operator"] = op,
        ["value"] = value,
    };

    private static Dictionary<string, object> Deny(params Dictionary<string, object>[] any) => new()
    {
        ["deny"] = new Dictionary<string, object> { ["conditions"] = new Dictionary<string, object> { ["any"] = any } },
    };

    private static Dictionary<string, object> ForEachContainerDeny(params Dictionary<string, object>[] any) => new()
    {
        ["foreach"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["list"] = "request.object.spec.[initContainers, containers][]",
                ["deny"] = new Dictionary<string, object> { ["conditions"] = new Dictionary<string, object> { ["any"] = any } },
            },
        },
    };

    private static Dictionary<string, object> WorkspaceDeny(PolicyOptions options, params Dictionary<string, object>[] any)
    {
        var rule = Deny(any);
        rule["namespaces"] = new object[] { options.WorkspaceNamespacePattern };
        rule["context"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["name"] = "workspace",
                ["configMap"] = new Dictionary<string, object> { ["name"] = "workspace-config", ["namespace"] = "{{ request.namespace }}" },
            },
        };
        return rule;
    }
}
