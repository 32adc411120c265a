namespace ImagingRepo.Inference.Runtime;

/// <summary>What a loaded model runs on, and why when it is not what was asked for.</summary>
/// <param name="Requested">The device that was asked for.</param>
/// <param name="Provider">The ONNX Runtime execution provider in use first (e.g. <c>CUDAExecutionProvider</c>).</param>
/// <param name="DeviceId">The GPU ordinal, or null on the CPU.</param>
/// <param name="FallbackReason">Why the requested GPU provider is not used, or null when it is.</param>
/// <param name="OnnxRuntimeVersion">The ONNX Runtime version.</param>
public sealed record ExecutionProviderReport(ExecutionDevice Requested, string Provider, int? DeviceId, string? FallbackReason, string OnnxRuntimeVersion)
{
    /// <summary>The CPU provider's name.</summary>
    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>The CUDA provider's name.</summary>
    public const string CudaProvider = "CUDAExecutionProvider";

    /// <summary>The TensorRT provider's name.</summary>
    public const string TensorRTProvider = "TensorrtExecutionProvider";

    /// <summary>True when the model runs on the CPU although a GPU was asked for (or <see cref="ExecutionDevice.Auto"/> found none).</summary>
    public bool IsFallback => FallbackReason is not null;

    /// <summary>True when the model runs on a GPU.</summary>
    public bool IsGpu => Provider != CpuProvider;

    /// <inheritdoc />
    public override string ToString() =>
        (IsGpu ? $"{Provider} (device {DeviceId})" : Provider)
        + (IsFallback ? $", fallback from {Requested}: {FallbackReason}" : string.Empty)
        + $", ONNX Runtime {OnnxRuntimeVersion}";
}
