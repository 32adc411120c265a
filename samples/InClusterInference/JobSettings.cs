using ImagingRepo.Inference.Runtime;
using ImagingRepo.Jobs.Specs;

namespace InClusterInference;

/// <summary>
/// What one run of the job needs, from its options and from what the platform puts in the pod: <c>DATASETS_LIST</c>
/// (comma-separated dataset ids), <c>MODEL_ID</c>, <c>HOME</c>, and the mounts under it (datasets read-only at
/// <c>HOME/datasets/ID</c>, the persistent home read-write).
/// </summary>
internal sealed record JobSettings
{
    /// <summary>The ONNX model file (in the image, or in the persistent home).</summary>
    public required string ModelPath { get; init; }

    /// <summary>The model's id for the USE_MODELS trace (<c>MODEL_ID</c>); the model's SHA-256 when the job has none.</summary>
    public string? ModelId { get; init; }

    /// <summary>The datasets to run on (<c>DATASETS_LIST</c>).</summary>
    public required IReadOnlyList<string> DatasetIds { get; init; }

    /// <summary>The user's home in the pod; datasets, results and traces are found under it.</summary>
    public required string Home { get; init; }

    /// <summary>The user the traces name (pseudonymized before they are stored).</summary>
    public required string User { get; init; }

    /// <summary>A file holding the key that pseudonymizes the user in traces; a key kept beside the traces when null.</summary>
    public string? PseudonymKeyFile { get; init; }

    /// <summary>A series selector (JSON); every series when null.</summary>
    public string? SelectorPath { get; init; }

    /// <summary>Where the model should run.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cuda;

    /// <summary>Whether a GPU request may end on the CPU (reported, never silent).</summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>The platform conventions (mount folders), CHAIMELEON's by default.</summary>
    public PlatformConventions Conventions { get; init; } = new();

    /// <summary>Where dataset <paramref name="datasetId"/> is mounted.</summary>
    public string DatasetFolder(string datasetId) => Path.Combine(Home, Conventions.DatasetsFolder, datasetId);

    /// <summary>The read-write persistent home, where results and traces go.</summary>
    public string PersistentHome => Path.Combine(Home, Conventions.PersistentHomeFolder);

    /// <summary>Reads <c>DATASETS_LIST</c> as the platform sets it: ids separated by commas, blanks ignored.</summary>
    public static IReadOnlyList<string> DatasetsFromEnvironment() =>
        (Environment.GetEnvironmentVariable("DATASETS_LIST") ?? string.Empty)
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
