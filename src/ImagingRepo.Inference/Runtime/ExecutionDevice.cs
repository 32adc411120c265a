namespace ImagingRepo.Inference.Runtime;

/// <summary>Where a model should run.</summary>
public enum ExecutionDevice
{
    /// <summary>CUDA when it can run here, else the CPU; never an error, always reported.</summary>
    Auto = 0,

    /// <summary>The CPU execution provider.</summary>
    Cpu,

    /// <summary>The CUDA execution provider on an NVIDIA GPU (CUDA 13 and cuDNN 9 libraries must be installed).</summary>
    Cuda,

    /// <summary>TensorRT with CUDA behind it for the nodes TensorRT does not take (TensorRT libraries must be installed).</summary>
    TensorRT,
}
