using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Workspaces;

namespace ImagingRepo.Jobs.Specs;

/// <summary>Every convention and default of the jobs library, bindable from configuration section <c>ImagingRepo:Jobs</c>.</summary>
public sealed class JobsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "ImagingRepo:Jobs";

    /// <summary>Naming, labelling, mounting and storage conventions of the platform.</summary>
    public PlatformConventions Conventions { get; set; } = new();

    /// <summary>Resource flavours by name.</summary>
    public Dictionary<string, ResourceFlavor> Flavors { get; set; } = DefaultFlavors();

    /// <summary>The flavour used when a spec names none.</summary>
    public string DefaultFlavor { get; set; } = "small";

    /// <summary>Security defaults applied to every workload.</summary>
    public HardeningOptions Hardening { get; set; } = new();

    /// <summary>The platform policies enforced in-process and emitted for Kyverno.</summary>
    public PolicyOptions Policy { get; set; } = new();

    /// <summary>Per-user workspace provisioning settings.</summary>
    public WorkspaceOptions Workspace { get; set; } = new();

    /// <summary>Looks a flavour up, refusing unknown names with the list of known ones.</summary>
    /// <param name="name">Flavour name, or null for <see cref="DefaultFlavor"/>.</param>
    /// <exception cref="JobsValidationException">The flavour is unknown.</exception>
    public ResourceFlavor GetFlavor(string? name)
    {
        name ??= DefaultFlavor;
        if (Flavors.TryGetValue(name, out var flavor))
        {
            return flavor;
        }

        throw new JobsValidationException("flavor",
            $"unknown resource flavour '{name}'; known flavours: {string.Join(", ", Flavors.Keys.Order(StringComparer.Ordinal))}");
    }

    /// <summary>The flavours shipped as defaults (fit within the default workspace quota).</summary>
    public static Dictionary<string, ResourceFlavor> DefaultFlavors() => new(StringComparer.Ordinal)
    {
        ["small"] = new() { Description = "1-2 CPU, 4-8 GiB", CpuRequest = "1", CpuLimit = "2", MemoryRequest = "4Gi", MemoryLimit = "8Gi" },
        ["medium"] = new() { Description = "2-3 CPU, 8-16 GiB", CpuRequest = "2", CpuLimit = "3", MemoryRequest = "8Gi", MemoryLimit = "16Gi" },
        ["large"] = new() { Description = "4-6 CPU, 24-48 GiB", CpuRequest = "4", CpuLimit = "6", MemoryRequest = "24Gi", MemoryLimit = "48Gi" },
        ["gpu"] = new()
        {
            Description = "2-3 CPU, 16-32 GiB, 1 NVIDIA GPU", CpuRequest = "2", CpuLimit = "3", MemoryRequest = "16Gi", MemoryLimit = "32Gi", Gpus = 1,
            NodeSelector = new(StringComparer.Ordinal) { ["nvidia.com/gpu.present"] = "true" },
        },
    };
}

/// <summary>Naming, labelling, mounting and storage conventions (CHAIMELEON's by default).</summary>
public sealed class PlatformConventions
{
    /// <summary>Annotation holding the comma-separated dataset ids.</summary>
    public string DatasetsAnnotation { get; set; } = "chaimeleon.eu/datasetsIDs";

    /// <summary>Annotation holding the tool name.</summary>
    public string ToolNameAnnotation { get; set; } = "chaimeleon.eu/toolName";

    /// <summary>Annotation holding the tool version.</summary>
    public string ToolVersionAnnotation { get; set; } = "chaimeleon.eu/toolVersion";

    /// <summary>Annotation holding the model id of an inference job.</summary>
    public string ModelAnnotation { get; set; } = "imagingrepo.eu/modelId";

    /// <summary>Environment variable holding the comma-separated dataset ids.</summary>
    public string DatasetsEnvironmentVariable { get; set; } = "DATASETS_LIST";

    /// <summary>Label naming the owner of a workload (value: the workspace namespace's user label).</summary>
    public string UserLabel { get; set; } = "imagingrepo.eu/user";

    /// <summary>Label naming the workload kind (batch, htc, interactive, inference).</summary>
    public string WorkloadLabel { get; set; } = "imagingrepo.eu/workload";

    /// <summary>Value of <c>app.kubernetes.io/managed-by</c> on everything the library creates.</summary>
    public string ManagedBy { get; set; } = "imagingrepo";

    /// <summary>Home folder inside the containers.</summary>
    public string HomePath { get; set; } = "/home/chaimeleon";

    /// <summary>Folder under <see cref="HomePath"/> where each dataset is mounted as a sub-folder named by its id.</summary>
    public string DatasetsFolder { get; set; } = "datasets";

    /// <summary>Mount path of the whole data lake (read-only).</summary>
    public string DatalakePath { get; set; } = "/mnt/datalake";

    /// <summary>Folder under <see cref="HomePath"/> for the persistent home (read-write).</summary>
    public string PersistentHomeFolder { get; set; } = "persistent-home";

    /// <summary>Folder under <see cref="HomePath"/> for the shared folder (read-write).</summary>
    public string SharedFolder { get; set; } = "persistent-shared-folder";

    /// <summary>Where datasets and the data lake come from.</summary>
    public DatasetStorage Storage { get; set; } = new();

    /// <summary>Claim name of the user's persistent home in the workspace namespace.</summary>
    public string PersistentHomeClaim { get; set; } = "persistent-home";

    /// <summary>Claim name of the shared folder in the workspace namespace.</summary>
    public string SharedFolderClaim { get; set; } = "persistent-shared-folder";

    /// <summary>Name of the workspace ConfigMap with paths, uid, gid and dataset GID.</summary>
    public string WorkspaceConfigMap { get; set; } = "workspace-config";

    /// <summary>Container registry host that the default image names are completed with.</summary>
    public string DefaultRegistry { get; set; } = "harbor.chaimeleon-eu.i3m.upv.es";

    /// <summary>The full path where dataset <paramref name="datasetId"/> is mounted.</summary>
    public string DatasetMountPath(string datasetId) => $"{HomePath}/{DatasetsFolder}/{datasetId}";
}

/// <summary>How datasets and the data lake reach the pods.</summary>
public enum DatasetStorageKind
{
    /// <summary>PersistentVolumeClaims in the workspace namespace, datasets as sub-paths.</summary>
    PersistentVolumeClaim,

    /// <summary>CephFS volumes with paths under a root.</summary>
    CephFs,
}

/// <summary>Where datasets and the data lake come from.</summary>
public sealed class DatasetStorage
{
    /// <summary>Volume kind.</summary>
    public DatasetStorageKind Kind { get; set; } = DatasetStorageKind.PersistentVolumeClaim;

    /// <summary>PVC holding one sub-folder per dataset (for <see cref="DatasetStorageKind.PersistentVolumeClaim"/>).</summary>
    public string DatasetsClaim { get; set; } = "datasets";

    /// <summary>PVC holding the data lake.</summary>
    public string DatalakeClaim { get; set; } = "datalake";

    /// <summary>CephFS monitors (for <see cref="DatasetStorageKind.CephFs"/>).</summary>
    public List<string> CephMonitors { get; set; } = [];

    /// <summary>CephFS path of the datasets root.</summary>
    public string CephDatasetsPath { get; set; } = "/datasets";

    /// <summary>CephFS path of the data lake.</summary>
    public string CephDatalakePath { get; set; } = "/datalake";

    /// <summary>CephFS client user.</summary>
    public string CephUser { get; set; } = "datasets-ro";

    /// <summary>Secret (in the workspace namespace) with the CephFS key.</summary>
    public string CephSecretName { get; set; } = "ceph-datasets-ro";
}

/// <summary>Security defaults applied to every workload.</summary>
public sealed class HardeningOptions
{
    /// <summary>Seconds a finished Job is kept before the TTL controller removes it.</summary>
    public int TtlSecondsAfterFinished { get; set; } = 86_400;

    /// <summary>Retries of a failed Job pod.</summary>
    public int BackoffLimit { get; set; } = 2;

    /// <summary>Maximum run time of a Job in seconds, or null for none.</summary>
    public long? ActiveDeadlineSeconds { get; set; } = 7 * 86_400;

    /// <summary>Whether batch containers get a read-only root filesystem (with an emptyDir at <c>/tmp</c>).</summary>
    public bool ReadOnlyRootFilesystem { get; set; } = true;

    /// <summary>Size limit of the writable <c>/tmp</c> emptyDir.</summary>
    public string TmpSizeLimit { get; set; } = "2Gi";
}
