using System.Globalization;
using System.Security.Cryptography;
using ImagingRepo.Jobs.Hardening;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Specs;

/// <summary>
/// Renders typed workload specs into hardened KubernetesClient models. Validates every input first, so that a bad
/// name, an unknown flavour or an unsafe dataset id is refused with the field named before anything is built.
/// </summary>
public sealed class ManifestRenderer
{
    /// <summary>Longest Job/Deployment name: Indexed Job pods append "-&lt;index&gt;-&lt;5 chars&gt;" and must stay a label.</summary>
    public const int MaxWorkloadNameLength = 52;

    private const string MainContainer = "main";
    private const string LowerAlphanumerics = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static readonly string[] ReservedEnvironment = ["SHARD_INDEX", "SHARD_COUNT", "DATASET_INDEX", "MODEL_ID", "PASSWORD", "HOME"];

    private readonly JobsOptions _options;
    private readonly Func<string, int, string> _random;

    // Parsing a quantity is costly (exact fractions); flavours repeat, so parse each text once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceQuantity> _quantities = new(StringComparer.Ordinal);

    /// <summary>Creates a renderer.</summary>
    /// <param name="options">Conventions, flavours and hardening defaults.</param>
    /// <param name="randomText">
    /// Source of random text (alphabet, length) for generated names and passwords; null uses a cryptographic RNG.
    /// Tests pass a deterministic one.
    /// </param>
    public ManifestRenderer(JobsOptions options, Func<string, int, string>? randomText = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _random = randomText ?? ((alphabet, length) => RandomNumberGenerator.GetString(alphabet, length));
    }

    /// <summary>The options this renderer uses.</summary>
    public JobsOptions Options => _options;

    /// <summary>Renders any spec for <paramref name="workspace"/>.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="workspace">The user's workspace.</param>
    /// <exception cref="JobsValidationException">An input is invalid.</exception>
    public RenderedWorkload Render(WorkloadSpec spec, WorkspaceIdentity workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(workspace);
        return spec switch
        {
            InteractiveSession session => RenderSession(session, workspace),
            _ => RenderJobWorkload(spec, workspace),
        };
    }

    /// <summary>Renders a Job for a batch, HTC or inference spec.</summary>
    /// <param name="spec">The spec (not an <see cref="InteractiveSession"/>).</param>
    /// <param name="workspace">The user's workspace.</param>
    /// <exception cref="JobsValidationException">An input is invalid.</exception>
    public V1Job RenderJob(WorkloadSpec spec, WorkspaceIdentity workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(workspace);
        if (spec is InteractiveSession)
        {
            throw new JobsValidationException("spec", "an interactive session renders to a Deployment, not a Job");
        }

        var common = Prepare(spec, workspace);
        var hardening = _options.Hardening;
        var pod = BuildPod(spec, workspace, common, restartPolicy: "Never", readOnlyDefault: hardening.ReadOnlyRootFilesystem);
        var jobSpec = new V1JobSpec
        {
            BackoffLimit = hardening.BackoffLimit,
            TtlSecondsAfterFinished = hardening.TtlSecondsAfterFinished,
            ActiveDeadlineSeconds = hardening.ActiveDeadlineSeconds,
            Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = common.Labels, Annotations = common.Annotations }, Spec = pod },
        };

        if (spec is HtcJob htc)
        {
            if (htc.Completions is < 1 or > 100_000)
            {
                throw new JobsValidationException("completions", $"{htc.Completions} is out of range 1..100000");
            }

            if (htc.Parallelism < 1 || htc.Parallelism > htc.Completions)
            {
                throw new JobsValidationException("parallelism", $"{htc.Parallelism} must be between 1 and completions ({htc.Completions})");
            }

            jobSpec.CompletionMode = "Indexed";
            jobSpec.Completions = htc.Completions;
            jobSpec.Parallelism = htc.Parallelism;
            jobSpec.BackoffLimitPerIndex = hardening.BackoffLimit;
            jobSpec.BackoffLimit = null;
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = common.Name,
                NamespaceProperty = workspace.Namespace,
                Labels = common.Labels,
                Annotations = common.Annotations,
            },
            Spec = jobSpec,
        };
    }

    private RenderedWorkload RenderJobWorkload(WorkloadSpec spec, WorkspaceIdentity workspace)
    {
        var job = RenderJob(spec, workspace);
        var common = Describe(spec);
        return new RenderedWorkload(job.Metadata.Name, workspace.Namespace, spec.WorkloadKind, spec.DatasetIds.ToArray(), common.ToolName, common.ToolVersion, [job]);
    }

    private RenderedWorkload RenderSession(InteractiveSession session, WorkspaceIdentity workspace)
    {
        var common = Prepare(session, workspace);
        var ports = session.Ports.Count > 0
            ? session.Ports.ToArray()
            : session.Kind == SessionKind.Jupyter ? [8888] : [5900, 2222];
        for (int i = 0; i < ports.Length; i++)
        {
            if (ports[i] is < 1024 or > 65535)
            {
                throw new JobsValidationException($"ports[{i}]", $"{ports[i]} is not an unprivileged port (1024-65535)");
            }
        }

        string secretName = common.Name + "-password";
        var secret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = secretName, NamespaceProperty = workspace.Namespace, Labels = common.Labels },
            Type = "Opaque",
            StringData = new Dictionary<string, string>(StringComparer.Ordinal) { ["password"] = _random(PasswordAlphabet, 24) },
        };

        var pod = BuildPod(session, workspace, common, restartPolicy: "Always", readOnlyDefault: false);
        var container = pod.Containers[0];
        container.Ports = ports.Select(p => new V1ContainerPort { ContainerPort = p, Name = PortName(p), Protocol = "TCP" }).ToList();
        container.Env.Add(new V1EnvVar
        {
            Name = "PASSWORD",
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secretName, Key = "password" } },
        });

        var selector = new Dictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/instance"] = common.Name };
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = common.Name, NamespaceProperty = workspace.Namespace, Labels = common.Labels, Annotations = common.Annotations },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = selector },
                // Recreate: two replicas must never write the same persistent home at once.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = common.Labels, Annotations = common.Annotations }, Spec = pod },
            },
        };

        var service = new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = common.Name, NamespaceProperty = workspace.Namespace, Labels = common.Labels },
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = selector,
                Ports = ports.Select(p => new V1ServicePort { Name = PortName(p), Port = p, TargetPort = p, Protocol = "TCP" }).ToList(),
            },
        };

        return new RenderedWorkload(common.Name, workspace.Namespace, session.WorkloadKind, session.DatasetIds.ToArray(), common.ToolName, common.ToolVersion,
            [secret, deployment, service]);
    }

    private static string PortName(int port) => port switch
    {
        8888 => "jupyter",
        5900 => "vnc",
        2222 => "ssh",
        _ => "port-" + port.ToString(CultureInfo.InvariantCulture),
    };

    private sealed record Common(string Name, string ToolName, string ToolVersion, ResourceFlavor Flavor,
        Dictionary<string, string> Labels, Dictionary<string, string> Annotations);

    private sealed record ToolDescription(string ToolName, string ToolVersion);

    private static ToolDescription Describe(WorkloadSpec spec)
    {
        var (repository, tag) = SplitImage(spec.Image);
        return new ToolDescription(string.IsNullOrEmpty(spec.ToolName) ? repository : spec.ToolName, string.IsNullOrEmpty(spec.ToolVersion) ? tag : spec.ToolVersion);
    }

    private Common Prepare(WorkloadSpec spec, WorkspaceIdentity workspace)
    {
        ValidateImage(spec.Image);
        KubernetesNames.RequireDns1123Label("namespace", workspace.Namespace);
        if (workspace.Uid <= 0 || workspace.Gid <= 0 || workspace.DatasetGid <= 0)
        {
            throw new JobsValidationException("workspace", "uid, gid and dataset GID must be positive (never root)");
        }

        var flavor = _options.GetFlavor(spec.Flavor);
        var tool = Describe(spec);
        string name = spec.Name ?? GenerateName(tool.ToolName);
        KubernetesNames.RequireDns1123Label("name", name, MaxWorkloadNameLength);

        for (int i = 0; i < spec.DatasetIds.Count; i++)
        {
            KubernetesNames.RequireDatasetId($"datasets[{i}]", spec.DatasetIds[i]);
            for (int j = 0; j < i; j++)
            {
                if (string.Equals(spec.DatasetIds[i], spec.DatasetIds[j], StringComparison.Ordinal))
                {
                    throw new JobsValidationException($"datasets[{i}]", $"dataset '{spec.DatasetIds[i]}' is listed twice");
                }
            }
        }

        if (spec is InferenceJob inference)
        {
            if (string.IsNullOrWhiteSpace(inference.ModelId))
            {
                throw new JobsValidationException("modelId", "an inference job needs the id of the model it applies");
            }

            if (inference.Gpus is < 0 or > 16)
            {
                throw new JobsValidationException("gpus", $"{inference.Gpus} is out of range 0..16");
            }
        }

        var c = _options.Conventions;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = c.ManagedBy,
            ["app.kubernetes.io/instance"] = name,
            [c.UserLabel] = workspace.UserLabelValue,
            [c.WorkloadLabel] = spec.WorkloadKind,
        };
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [c.DatasetsAnnotation] = string.Join(',', spec.DatasetIds),
            [c.ToolNameAnnotation] = tool.ToolName,
            [c.ToolVersionAnnotation] = tool.ToolVersion,
        };
        if (spec is InferenceJob model)
        {
            annotations[c.ModelAnnotation] = model.ModelId;
        }

        return new Common(name, tool.ToolName, tool.ToolVersion, flavor, labels, annotations);
    }

    private V1PodSpec BuildPod(WorkloadSpec spec, WorkspaceIdentity workspace, Common common, string restartPolicy, bool readOnlyDefault)
    {
        var c = _options.Conventions;
        bool readOnlyRoot = spec.ReadOnlyRootFilesystem ?? readOnlyDefault;
        var volumes = new List<V1Volume>(5)
        {
            new() { Name = "home", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c.PersistentHomeClaim } },
            new() { Name = "shared", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c.SharedFolderClaim } },
        };
        var mounts = new List<V1VolumeMount>(4 + spec.DatasetIds.Count)
        {
            new() { Name = "home", MountPath = $"{c.HomePath}/{c.PersistentHomeFolder}" },
            new() { Name = "shared", MountPath = $"{c.HomePath}/{c.SharedFolder}" },
        };

        if (spec.DatasetIds.Count > 0)
        {
            volumes.Add(StorageVolume("datasets", c.Storage.DatasetsClaim, c.Storage.CephDatasetsPath));
            foreach (string id in spec.DatasetIds)
            {
                mounts.Add(new V1VolumeMount { Name = "datasets", MountPath = c.DatasetMountPath(id), SubPath = id, ReadOnlyProperty = true });
            }
        }

        if (spec.MountDatalake)
        {
            volumes.Add(StorageVolume("datalake", c.Storage.DatalakeClaim, c.Storage.CephDatalakePath));
            mounts.Add(new V1VolumeMount { Name = "datalake", MountPath = c.DatalakePath, ReadOnlyProperty = true });
        }

        if (readOnlyRoot)
        {
            volumes.Add(new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = Quantity("hardening.tmpSizeLimit", _options.Hardening.TmpSizeLimit) } });
            mounts.Add(new V1VolumeMount { Name = "tmp", MountPath = "/tmp" });
        }

        var container = new V1Container
        {
            Name = MainContainer,
            Image = spec.Image,
            Command = spec.Command.Count > 0 ? spec.Command.ToList() : null,
            Args = spec.Arguments.Count > 0 ? spec.Arguments.ToList() : null,
            WorkingDir = c.HomePath,
            Env = BuildEnvironment(spec),
            Resources = BuildResources(spec, common.Flavor),
            VolumeMounts = mounts,
        };

        var flavor = common.Flavor;
        var pod = new V1PodSpec
        {
            RestartPolicy = restartPolicy,
            EnableServiceLinks = false,
            Containers = [container],
            Volumes = volumes,
            NodeSelector = flavor.NodeSelector.Count > 0 ? new Dictionary<string, string>(flavor.NodeSelector, StringComparer.Ordinal) : null,
            PriorityClassName = flavor.PriorityClassName,
        };
        PodHardening.Apply(pod, workspace, readOnlyRoot, spec.AutomountServiceAccountToken);
        return pod;
    }

    private V1Volume StorageVolume(string name, string claim, string cephPath)
    {
        var storage = _options.Conventions.Storage;
        return storage.Kind == DatasetStorageKind.CephFs
            ? new V1Volume
            {
                Name = name,
                Cephfs = new V1CephFSVolumeSource
                {
                    Monitors = storage.CephMonitors.ToList(),
                    Path = cephPath,
                    User = storage.CephUser,
                    SecretRef = new V1LocalObjectReference { Name = storage.CephSecretName },
                    ReadOnlyProperty = true,
                },
            }
            : new V1Volume { Name = name, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim, ReadOnlyProperty = true } };
    }

    private List<V1EnvVar> BuildEnvironment(WorkloadSpec spec)
    {
        var c = _options.Conventions;
        var env = new List<V1EnvVar>(4 + spec.Environment.Count)
        {
            new() { Name = c.DatasetsEnvironmentVariable, Value = string.Join(',', spec.DatasetIds) },
            new() { Name = "HOME", Value = c.HomePath },
        };

        if (spec is HtcJob htc)
        {
            env.Add(new V1EnvVar
            {
                Name = "SHARD_INDEX",
                ValueFrom = new V1EnvVarSource
                {
                    FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
                },
            });
            env.Add(new V1EnvVar { Name = "SHARD_COUNT", Value = htc.Completions.ToString(CultureInfo.InvariantCulture) });
            env.Add(new V1EnvVar { Name = "DATASET_INDEX", Value = string.Join(',', spec.DatasetIds.Select(id => c.DatasetMountPath(id) + "/index.json")) });
        }
        else if (spec is InferenceJob inference)
        {
            env.Add(new V1EnvVar { Name = "MODEL_ID", Value = inference.ModelId });
        }

        foreach (var (key, value) in spec.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!IsEnvironmentName(key))
            {
                throw new JobsValidationException($"environment.{key}", "is not a valid variable name ([A-Za-z_][A-Za-z0-9_]*)");
            }

            if (key == c.DatasetsEnvironmentVariable || Array.IndexOf(ReservedEnvironment, key) >= 0)
            {
                throw new JobsValidationException($"environment.{key}", "is set by the platform and cannot be overridden");
            }

            env.Add(new V1EnvVar { Name = key, Value = value });
        }

        return env;
    }

    private V1ResourceRequirements BuildResources(WorkloadSpec spec, ResourceFlavor flavor)
    {
        var requests = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = Quantity("flavor.cpuRequest", flavor.CpuRequest),
            ["memory"] = Quantity("flavor.memoryRequest", flavor.MemoryRequest),
        };
        var limits = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = Quantity("flavor.cpuLimit", flavor.CpuLimit),
            ["memory"] = Quantity("flavor.memoryLimit", flavor.MemoryLimit),
        };
        int gpus = spec is InferenceJob { Gpus: { } explicitGpus } ? explicitGpus : flavor.Gpus;
        if (gpus > 0)
        {
            var quantity = Quantity("gpus", gpus.ToString(CultureInfo.InvariantCulture));
            requests["nvidia.com/gpu"] = quantity;
            limits["nvidia.com/gpu"] = quantity;
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits };
    }

    private ResourceQuantity Quantity(string field, string value)
    {
        if (_quantities.TryGetValue(value, out var cached))
        {
            return cached;
        }

        try
        {
            var parsed = new ResourceQuantity(value);
            _quantities.TryAdd(value, parsed);
            return parsed;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw new JobsValidationException(field, $"'{value}' is not a Kubernetes quantity", e);
        }
    }

    private static bool IsEnvironmentName(string key)
    {
        if (key.Length == 0 || char.IsAsciiDigit(key[0]))
        {
            return false;
        }

        foreach (char ch in key)
        {
            if (!char.IsAsciiLetterOrDigit(ch) && ch != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static void ValidateImage(string image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new JobsValidationException("image", "is required");
        }

        if (image.Length > 512)
        {
            throw new JobsValidationException("image", "is longer than 512 characters");
        }

        foreach (char ch in image)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '/' or ':' or '@' or '-' or '_'))
            {
                throw new JobsValidationException("image", $"'{image}' contains '{ch}', which is not allowed in an image reference");
            }
        }
    }

    /// <summary>Splits an image reference into its repository's last segment and tag (digest or <c>latest</c> when absent).</summary>
    /// <param name="image">The image reference.</param>
    public static (string Repository, string Tag) SplitImage(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        string last = image[(image.LastIndexOf('/') + 1)..];
        int at = last.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return (last[..at], last[(at + 1)..]);
        }

        int colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? (last[..colon], last[(colon + 1)..]) : (last, "latest");
    }

    private string GenerateName(string toolName)
    {
        Span<char> buffer = stackalloc char[MaxWorkloadNameLength];
        int n = 0;
        bool dash = true;
        foreach (char ch in toolName)
        {
            if (n >= MaxWorkloadNameLength - 7)
            {
                break;
            }

            char lower = char.ToLowerInvariant(ch);
            if (lower is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                buffer[n++] = lower;
                dash = false;
            }
            else if (!dash)
            {
                buffer[n++] = '-';
                dash = true;
            }
        }

        string stem = n == 0 ? "job" : new string(buffer[..n]).Trim('-');
        return $"{stem}-{_random(LowerAlphanumerics, 5)}";
    }
}
