using ImagingRepo.Jobs.Specs;
using k8s.Models;

namespace ImagingRepo.Jobs.Hardening;

/// <summary>
/// Applies the platform's security baseline to a pod spec: non-root with the workspace's uid/gid/fsGroup, only the
/// user's dataset GID as supplemental group, no privilege escalation, all capabilities dropped, RuntimeDefault
/// seccomp, no host namespaces, no service-account token unless asked, optionally a read-only root filesystem.
/// </summary>
public static class PodHardening
{
    private static readonly IList<string> DropAll = ["ALL"];

    /// <summary>Hardens <paramref name="pod"/> in place.</summary>
    /// <param name="pod">The pod spec (from a Job, Deployment or Pod).</param>
    /// <param name="workspace">Whose uid/gid/dataset GID to run with.</param>
    /// <param name="readOnlyRootFilesystem">Make every container's root filesystem read-only.</param>
    /// <param name="automountServiceAccountToken">Mount a service-account token (off by default).</param>
    public static void Apply(V1PodSpec pod, WorkspaceIdentity workspace, bool readOnlyRootFilesystem, bool automountServiceAccountToken = false)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(workspace);

        pod.HostNetwork = null;
        pod.HostPID = null;
        pod.HostIPC = null;
        pod.AutomountServiceAccountToken = automountServiceAccountToken;
        pod.SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = workspace.Uid,
            RunAsGroup = workspace.Gid,
            FsGroup = workspace.Gid,
            SupplementalGroups = [workspace.DatasetGid],
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        };

        HardenContainers(pod.InitContainers, readOnlyRootFilesystem);
        HardenContainers(pod.Containers, readOnlyRootFilesystem);
    }

    /// <summary>
    /// Hardens the pod spec inside <paramref name="obj"/> (a Pod, Job, CronJob, Deployment, StatefulSet, DaemonSet or
    /// ReplicaSet), for example an object loaded from a legacy template.
    /// </summary>
    /// <param name="obj">The object.</param>
    /// <param name="workspace">Whose uid/gid/dataset GID to run with.</param>
    /// <param name="readOnlyRootFilesystem">Make every container's root filesystem read-only.</param>
    /// <returns>False when the object holds no pod spec.</returns>
    public static bool ApplyTo(object obj, WorkspaceIdentity workspace, bool readOnlyRootFilesystem = false)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var pod = obj switch
        {
            V1Pod p => p.Spec,
            V1Job j => j.Spec?.Template?.Spec,
            V1CronJob c => c.Spec?.JobTemplate?.Spec?.Template?.Spec,
            V1Deployment d => d.Spec?.Template?.Spec,
            V1StatefulSet s => s.Spec?.Template?.Spec,
            V1DaemonSet ds => ds.Spec?.Template?.Spec,
            V1ReplicaSet rs => rs.Spec?.Template?.Spec,
            _ => null,
        };
        if (pod is null)
        {
            return false;
        }

        Apply(pod, workspace, readOnlyRootFilesystem);
        return true;
    }

    private static void HardenContainers(IList<V1Container>? containers, bool readOnlyRootFilesystem)
    {
        if (containers is null)
        {
            return;
        }

        foreach (var container in containers)
        {
            container.SecurityContext = Container(readOnlyRootFilesystem);
            if (container.Ports is { } ports)
            {
                foreach (var port in ports)
                {
                    port.HostPort = null;
                    port.HostIP = null;
                }
            }
        }
    }

    /// <summary>The container security context of the baseline.</summary>
    /// <param name="readOnlyRootFilesystem">Whether the root filesystem is read-only.</param>
    public static V1SecurityContext Container(bool readOnlyRootFilesystem) => new()
    {
        AllowPrivilegeEscalation = false,
        Privileged = false,
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = readOnlyRootFilesystem,
        Capabilities = new V1Capabilities { Drop = DropAll },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };
}
