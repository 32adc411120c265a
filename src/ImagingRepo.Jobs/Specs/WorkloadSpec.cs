namespace ImagingRepo.Jobs.Specs;

/// <summary>What every workload has: an image, a command, datasets, a flavour and the tool it runs.</summary>
public abstract class WorkloadSpec
{
    /// <summary>Object name (RFC 1123 label); null to generate one from the image name.</summary>
    public string? Name { get; set; }

    /// <summary>Container image, e.g. <c>harbor.example.org/tools/nnunet:2.1</c>.</summary>
    public string Image { get; set; } = "";

    /// <summary>Container entry point override, or empty to keep the image's.</summary>
    public IList<string> Command { get; init; } = [];

    /// <summary>Container arguments.</summary>
    public IList<string> Arguments { get; init; } = [];

    /// <summary>Datasets mounted read-only at <c>&lt;home&gt;/datasets/&lt;id&gt;</c>.</summary>
    public IList<string> DatasetIds { get; init; } = [];

    /// <summary>Resource flavour name, or null for the default.</summary>
    public string? Flavor { get; set; }

    /// <summary>Tool name recorded in annotations and traces (defaults to the image repository name).</summary>
    public string? ToolName { get; set; }

    /// <summary>Tool version (defaults to the image tag).</summary>
    public string? ToolVersion { get; set; }

    /// <summary>Extra environment variables.</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Mount the data lake read-only at the configured path.</summary>
    public bool MountDatalake { get; set; }

    /// <summary>Whether to mount a service-account token (off unless asked).</summary>
    public bool AutomountServiceAccountToken { get; set; }

    /// <summary>Read-only root filesystem; null uses the workload kind's default.</summary>
    public bool? ReadOnlyRootFilesystem { get; set; }

    /// <summary>The workload kind label value.</summary>
    public abstract string WorkloadKind { get; }
}

/// <summary>A single-pod batch Job (jobman's default).</summary>
public sealed class BatchJob : WorkloadSpec
{
    /// <inheritdoc />
    public override string WorkloadKind => "batch";
}

/// <summary>
/// A high-throughput Job in Indexed completion mode: <see cref="Completions"/> shards, at most
/// <see cref="Parallelism"/> at a time. Pod <c>i</c> gets <c>SHARD_INDEX=i</c>, <c>SHARD_COUNT</c> and the path of the
/// dataset index; it processes the entries <c>e</c> of the index with <c>e % SHARD_COUNT == SHARD_INDEX</c>.
/// </summary>
public sealed class HtcJob : WorkloadSpec
{
    /// <summary>Number of shards (pod completions).</summary>
    public int Completions { get; set; } = 1;

    /// <summary>Pods running at once.</summary>
    public int Parallelism { get; set; } = 1;

    /// <inheritdoc />
    public override string WorkloadKind => "htc";
}

/// <summary>An inference Job: a model applied to datasets, usually on GPUs.</summary>
public sealed class InferenceJob : WorkloadSpec
{
    /// <summary>Id of the model applied (recorded as annotation and env <c>MODEL_ID</c>).</summary>
    public string ModelId { get; set; } = "";

    /// <summary>GPUs requested; null takes the flavour's count.</summary>
    public int? Gpus { get; set; }

    /// <inheritdoc />
    public override string WorkloadKind => "inference";
}

/// <summary>The kind of interactive session.</summary>
public enum SessionKind
{
    /// <summary>JupyterLab on port 8888.</summary>
    Jupyter,

    /// <summary>A remote desktop: VNC on 5900 and SSH on 2222.</summary>
    Desktop,
}

/// <summary>An interactive session: a Deployment with one replica, a ClusterIP Service and a generated password Secret.</summary>
public sealed class InteractiveSession : WorkloadSpec
{
    /// <summary>Jupyter or desktop.</summary>
    public SessionKind Kind { get; set; } = SessionKind.Jupyter;

    /// <summary>Container ports exposed by the Service; empty uses the kind's defaults (8888, or 5900 and 2222).</summary>
    public IList<int> Ports { get; init; } = [];

    /// <inheritdoc />
    public override string WorkloadKind => "interactive";
}
