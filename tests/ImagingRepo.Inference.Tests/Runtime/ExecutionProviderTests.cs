using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Tests.Models;

namespace ImagingRepo.Inference.Tests.Runtime;

/// <summary>
/// The execution provider is chosen at load and reported. On a machine without a usable NVIDIA GPU (CI) a CUDA request
/// must fail clearly instead of running on the CPU; with a GPU (benchmarks/gpu/run.sh) it must run on CUDA.
/// </summary>
[Collection(ModelsCollection.Name)]
public sealed class ExecutionProviderTests(TestModels models)
{
    private static bool HasNvidiaGpu => File.Exists("/dev/nvidia0");

    [SkippableFact]
    public void A_cuda_request_without_a_usable_gpu_is_a_clear_error_not_a_quiet_cpu_run()
    {
        Skip.If(HasNvidiaGpu, "this machine has an NVIDIA GPU; Cuda_runs_on_the_gpu_where_there_is_one covers it");

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() =>
            OnnxModel.Load(models["threshold2d.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.Cuda }));

        Assert.Equal(ExecutionDevice.Cuda, error.Requested);
        Assert.Contains("libonnxruntime_providers_cuda.so", error.Reason, StringComparison.Ordinal);
        Assert.Contains("allow CPU fallback", error.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_tensorrt_request_without_tensorrt_is_a_clear_error()
    {
        Skip.If(HasNvidiaGpu, "this machine has an NVIDIA GPU");

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() =>
            OnnxModel.Load(models["threshold2d.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.TensorRT }));

        Assert.Equal(ExecutionDevice.TensorRT, error.Requested);
        Assert.Contains("libonnxruntime_providers_tensorrt.so", error.Reason, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task With_fallback_allowed_a_cuda_request_runs_on_the_cpu_and_says_why()
    {
        Skip.If(HasNvidiaGpu, "this machine has an NVIDIA GPU");

        using var model = OnnxModel.Load(models["threshold2d.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.Cuda, AllowCpuFallback = true });
        using var input = InferenceTensor.FromValues([0.9f], 1, 1, 1, 1);
        using var outputs = await model.RunAsync(input);

        Assert.Equal(ExecutionProviderReport.CpuProvider, model.ExecutionProvider.Provider);
        Assert.True(model.ExecutionProvider.IsFallback);
        Assert.Contains("fallback from Cuda", model.ExecutionProvider.ToString(), StringComparison.Ordinal);
        Assert.Equal(1f, outputs[0].Span[0]);
    }

    [SkippableFact]
    public void Auto_uses_the_gpu_when_it_can_and_reports_the_cpu_otherwise()
    {
        using var model = OnnxModel.Load(models["threshold2d.onnx"]);

        Assert.Equal(ExecutionDevice.Auto, model.ExecutionProvider.Requested);
        Assert.Equal(HasNvidiaGpu, model.ExecutionProvider.IsGpu);
        Assert.Equal(!HasNvidiaGpu, model.ExecutionProvider.IsFallback);
    }

    [SkippableFact]
    public async Task Cuda_runs_on_the_gpu_where_there_is_one()
    {
        Skip.IfNot(HasNvidiaGpu, "no NVIDIA GPU on this machine");

        using var model = OnnxModel.Load(models["threshold3d.onnx"], new ModelRuntimeOptions { Device = ExecutionDevice.Cuda });
        using var input = InferenceTensor.Create(1, 1, 8, 16, 16);
        input.Span[100] = 1;
        using var outputs = await model.RunAsync(input);

        Assert.Equal(ExecutionProviderReport.CudaProvider, model.ExecutionProvider.Provider);
        Assert.Equal(1f, outputs[0].Span.ToArray().Sum());
    }
}
