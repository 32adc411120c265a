using System.ComponentModel.DataAnnotations;

namespace ImagingRepo.Service.Creation.KubernetesJob;

/// <summary>
/// Dataset creation as Kubernetes Jobs (section <see cref="SectionName"/>), as CHAIMELEON runs it: the service queues an
/// operation and starts a Job in its own namespace that runs this service's image with <c>creation-job</c>, which runs
/// every queued operation and exits. Operations, claims and leases are the same as in-process, so the operation store
/// must be one the Job reaches too (PostgreSQL).
/// </summary>
internal sealed class CreationJobOptions
{
    public const string SectionName = "ImagingRepo:Creation:Job";

    /// <summary>Run creations as Jobs instead of in the service process.</summary>
    public bool Enabled { get; set; }

    /// <summary>The API server's URL when the service runs outside the cluster; empty: the in-cluster configuration.</summary>
    public string? ApiServer { get; set; }

    /// <summary>The namespace the Jobs run in (the service's own).</summary>
    [Required]
    public string? Namespace { get; set; }

    /// <summary>The service's image (from the platform registry): the Job runs it with <c>creation-job</c>.</summary>
    [Required]
    public string? Image { get; set; }

    /// <summary>The Jobs' service account (no token is mounted: a creation calls no Kubernetes API); null: the namespace's default.</summary>
    public string? ServiceAccountName { get; set; }

    /// <summary>The PersistentVolumeClaim of the data lake (mounted read-only).</summary>
    [Required]
    public string? DataLakeClaim { get; set; }

    /// <summary>The PersistentVolumeClaim of the dataset folders (mounted read-write).</summary>
    [Required]
    public string? DatasetsClaim { get; set; }

    /// <summary>Where the Job's container sees the data lake.</summary>
    public string DataLakeMountPath { get; set; } = "/mnt/datalake";

    /// <summary>Where the Job's container sees the dataset folders.</summary>
    public string DatasetsMountPath { get; set; } = "/mnt/datasets";

    /// <summary>A ConfigMap with the service's settings (database, tracing), given to the Job as environment.</summary>
    public string? ConfigMap { get; set; }

    /// <summary>A Secret with the service's secrets (connection string, pseudonymization key), given to the Job as environment.</summary>
    public string? Secret { get; set; }

    /// <summary>The uid the Job runs as (never root).</summary>
    [Range(1, long.MaxValue)]
    public long RunAsUser { get; set; } = 1000;

    /// <summary>The gid the Job runs as, and the group of the folders it writes.</summary>
    [Range(1, long.MaxValue)]
    public long RunAsGroup { get; set; } = 1000;

    /// <summary>The group that may read the data lake: the Job's only supplemental group.</summary>
    [Range(1, long.MaxValue)]
    public long DataLakeGroup { get; set; } = 1000;

    /// <summary>Registries the image may come from (the platform policy of ImagingRepo.Jobs is checked before a Job starts).</summary>
    public List<string> AllowedRegistries { get; set; } = [];

    /// <summary>CPU request.</summary>
    public string CpuRequest { get; set; } = "500m";

    /// <summary>CPU limit.</summary>
    public string CpuLimit { get; set; } = "2";

    /// <summary>Memory request.</summary>
    public string MemoryRequest { get; set; } = "512Mi";

    /// <summary>Memory limit.</summary>
    public string MemoryLimit { get; set; } = "2Gi";

    /// <summary>Pod restarts before the Job fails (a restarted pod resumes the operation it held).</summary>
    [Range(0, 20)]
    public int BackoffLimit { get; set; } = 3;

    /// <summary>How long a Job may run.</summary>
    [Range(60, long.MaxValue)]
    public long ActiveDeadlineSeconds { get; set; } = 6 * 3600;

    /// <summary>How long a finished Job is kept (for its logs) before Kubernetes removes it.</summary>
    [Range(0, int.MaxValue)]
    public int TtlSecondsAfterFinished { get; set; } = 3600;
}
