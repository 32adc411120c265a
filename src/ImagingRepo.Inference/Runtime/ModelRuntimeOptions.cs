using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>How a model is loaded and run: device, fallback, threads, pool and batching.</summary>
public sealed record ModelRuntimeOptions
{
    /// <summary>The device to run on (default <see cref="ExecutionDevice.Auto"/>).</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Auto;

    /// <summary>
    /// When <see cref="Device"/> is CUDA or TensorRT and it cannot run here, run on the CPU (reported and logged as a
    /// warning) instead of failing with <see cref="ExecutionProviderUnavailableException"/>. Default false: a GPU job
    /// that quietly runs on the CPU wastes the GPU it holds and takes hours instead of minutes.
    /// </summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>The GPU ordinal for CUDA and TensorRT (default 0).</summary>
    public int DeviceId { get; init; }

    /// <summary>
    /// Fail session creation when any node would be placed on the CPU although a GPU provider was requested
    /// (ONNX Runtime's <c>session.disable_cpu_ep_fallback</c>). Off by default: shape computations normally run on the CPU.
    /// </summary>
    public bool RequireAllNodesOnDevice { get; init; }

    /// <summary>Threads inside one operator; 0 lets ONNX Runtime choose (one per core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads across independent operators (only used in parallel execution mode); 0 lets ONNX Runtime choose.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Graph optimization level (default: all).</summary>
    public GraphOptimizationLevel GraphOptimization { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>Sessions kept in the pool: the number of runs that may proceed at once (default 1).</summary>
    public int Sessions { get; init; } = 1;

    /// <summary>Run each session once on zeros after loading, so the first real run does not pay for lazy initialisation (default true).</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>Items stacked into one run when the model's batch dimension is free (default 8).</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// The sidecar JSON with name, version, manufacturer, labels and preprocessing; null to look for
    /// <c>&lt;model&gt;.json</c> next to the model file (used when present).
    /// </summary>
    public string? SidecarPath { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(DeviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(Sessions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBatchSize, 1);
    }
}
