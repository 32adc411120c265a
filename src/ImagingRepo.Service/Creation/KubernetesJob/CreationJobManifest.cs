using ImagingRepo.Jobs.Hardening;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using k8s.Models;

namespace ImagingRepo.Service.Creation.KubernetesJob;

/// <summary>
/// The Job that runs dataset creation, hardened with ImagingRepo.Jobs' baseline (non-root with the configured uid and
/// gid, the data lake's group as the only supplemental group, no privilege escalation, all capabilities dropped,
/// RuntimeDefault seccomp, read-only root filesystem, no service-account token) and checked against its platform
/// policies. It holds only what a creation needs: the lake read-only, the dataset folders read-write, a scratch
/// <c>/tmp</c>, and the service's settings.
/// </summary>
internal static class CreationJobManifest
{
    /// <summary>The first argument that makes the service image run the queued creations and exit.</summary>
    public const string Command = "creation-job";

    /// <summary>Label on every creation Job (and, through the template, its pods).</summary>
    public const string ComponentLabel = "app.kubernetes.io/component", ComponentValue = "dataset-creation";

    private const string LakeVolume = "datalake", DatasetsVolume = "datasets", ScratchVolume = "tmp";

    public static V1Job Render(CreationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "imagingrepo-service",
            [ComponentLabel] = ComponentValue,
        };
        var container = new V1Container
        {
            Name = "creation",
            Image = options.Image,
            Args = [Command],
            Env =
            [
                new V1EnvVar { Name = "ImagingRepo__Creation__DataLakePath", Value = options.DataLakeMountPath },
                new V1EnvVar { Name = "ImagingRepo__Creation__DatasetsPath", Value = options.DatasetsMountPath },
                new V1EnvVar { Name = "ImagingRepo__Creation__Job__Enabled", Value = "false" },
                new V1EnvVar { Name = "TMPDIR", Value = "/tmp" },
            ],
            EnvFrom = [.. EnvironmentSources(options)],
            VolumeMounts =
            [
                new V1VolumeMount { MountPath = options.DataLakeMountPath, Name = LakeVolume, ReadOnlyProperty = true },
                new V1VolumeMount { MountPath = options.DatasetsMountPath, Name = DatasetsVolume },
                new V1VolumeMount { MountPath = "/tmp", Name = ScratchVolume },
            ],
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(options.CpuRequest), ["memory"] = new(options.MemoryRequest) },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(options.CpuLimit), ["memory"] = new(options.MemoryLimit) },
            },
        };
        var pod = new V1PodSpec
        {
            RestartPolicy = "Never",
            ServiceAccountName = options.ServiceAccountName,
            EnableServiceLinks = false,
            Containers = [container],
            Volumes =
            [
                new V1Volume { Name = LakeVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = options.DataLakeClaim, ReadOnlyProperty = true } },
                new V1Volume { Name = DatasetsVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = options.DatasetsClaim } },
                new V1Volume { Name = ScratchVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } },
            ],
        };
        PodHardening.Apply(pod, Identity(options), readOnlyRootFilesystem: true, automountServiceAccountToken: false);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { GenerateName = "dataset-creation-", NamespaceProperty = options.Namespace, Labels = labels },
            Spec = new V1JobSpec
            {
                BackoffLimit = options.BackoffLimit,
                ActiveDeadlineSeconds = options.ActiveDeadlineSeconds,
                TtlSecondsAfterFinished = options.TtlSecondsAfterFinished,
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = labels }, Spec = pod },
            },
        };
    }

    /// <summary>What the platform policies of ImagingRepo.Jobs find wrong with <paramref name="job"/> (nothing, for a rendered one).</summary>
    public static IReadOnlyList<PolicyViolation> Check(V1Job job, CreationJobOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var policy = new PolicyOptions();
        if (options.AllowedRegistries.Count > 0) policy.AllowedRegistries = options.AllowedRegistries;
        return new PolicyChecker(policy).Check(job, Identity(options));
    }

    /// <summary>The platform account the Job runs as, in the terms of ImagingRepo.Jobs' hardening.</summary>
    private static WorkspaceIdentity Identity(CreationJobOptions options) =>
        new("dataset-creation", options.Namespace!, options.RunAsUser, options.RunAsGroup, options.DataLakeGroup);

    private static IEnumerable<V1EnvFromSource> EnvironmentSources(CreationJobOptions options)
    {
        if (!string.IsNullOrEmpty(options.ConfigMap)) yield return new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = options.ConfigMap } };
        if (!string.IsNullOrEmpty(options.Secret)) yield return new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = options.Secret } };
    }
}
