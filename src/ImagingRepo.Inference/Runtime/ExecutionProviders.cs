using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// Chooses the execution provider at start and proves it: a GPU provider whose libraries or device are missing is
/// caught where ONNX Runtime would quietly run on the CPU, and becomes either an error or a reported fallback.
/// </summary>
internal static partial class ExecutionProviders
{
    private const string CudaLibrary = "libonnxruntime_providers_cuda.so";
    private const string TensorRTLibrary = "libonnxruntime_providers_tensorrt.so";

    /// <summary>Creates the first session of a model on the device the options ask for, or on the CPU where that is allowed.</summary>
    public static (InferenceSession Session, ExecutionProviderReport Report) CreateSession(string modelPath, ModelRuntimeOptions options, ILogger logger)
    {
        var version = OrtEnv.Instance().GetVersionString();
        if (options.Device == ExecutionDevice.Cpu)
        {
            return (CreateCpuSession(modelPath, options), new ExecutionProviderReport(ExecutionDevice.Cpu, ExecutionProviderReport.CpuProvider, null, null, version));
        }

        var device = options.Device == ExecutionDevice.Auto ? ExecutionDevice.Cuda : options.Device;
        string reason;
        SessionOptions? sessionOptions = null;
        try
        {
            sessionOptions = Build(options, device);
            var session = new InferenceSession(modelPath, sessionOptions);
            return (session, new ExecutionProviderReport(options.Device, ProviderName(device), options.DeviceId, null, version));
        }
        catch (OnnxRuntimeException e) when (sessionOptions is null)
        {
            // appending the provider failed: its shared library or one it needs could not be loaded
            reason = DiagnoseLoadFailure(device, e);
        }
        catch (OnnxRuntimeException e)
        {
            // the provider loaded but the session did not start: no device, a driver too old, or a bad model; the CPU tells which
            var cpu = CreateCpuSession(modelPath, options);
            cpu.Dispose();
            reason = $"{ProviderName(device)} failed to start ({FirstLine(e.Message)})";
        }
        finally
        {
            sessionOptions?.Dispose();
        }

        return (FallBack(modelPath, options, reason, logger), new ExecutionProviderReport(options.Device, ExecutionProviderReport.CpuProvider, null, reason, version));
    }

    /// <summary>Creates another session like the first, on the provider that one ended on.</summary>
    public static InferenceSession CreateLike(string modelPath, ModelRuntimeOptions options, ExecutionProviderReport report)
    {
        if (!report.IsGpu)
        {
            return CreateCpuSession(modelPath, options);
        }

        using var sessionOptions = Build(options, report.Provider == ExecutionProviderReport.TensorRTProvider ? ExecutionDevice.TensorRT : ExecutionDevice.Cuda);
        return new InferenceSession(modelPath, sessionOptions);
    }

    /// <summary>Runs on the CPU after the GPU provider failed (<paramref name="reason"/>), or throws when that is not allowed.</summary>
    public static InferenceSession FallBack(string modelPath, ModelRuntimeOptions options, string reason, ILogger logger)
    {
        if (options.Device != ExecutionDevice.Auto && !options.AllowCpuFallback)
        {
            throw new ExecutionProviderUnavailableException(options.Device, reason);
        }

        LogFallback(logger, options.Device, reason);
        return CreateCpuSession(modelPath, options);
    }

    public static InferenceSession CreateCpuSession(string modelPath, ModelRuntimeOptions options)
    {
        using var sessionOptions = Build(options, ExecutionDevice.Cpu);
        try
        {
            return new InferenceSession(modelPath, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelLoadException(modelPath, FirstLine(e.Message), e);
        }
    }

    private static SessionOptions Build(ModelRuntimeOptions options, ExecutionDevice device)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = options.GraphOptimization,
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = options.InterOpThreads,
            LogId = "ImagingRepo.Inference",
        };
        try
        {
            if (device is ExecutionDevice.Cuda or ExecutionDevice.TensorRT && options.RequireAllNodesOnDevice)
            {
                sessionOptions.AddSessionConfigEntry("session.disable_cpu_ep_fallback", "1");
            }

            if (device == ExecutionDevice.TensorRT)
            {
                sessionOptions.AppendExecutionProvider_Tensorrt(options.DeviceId);
            }

            if (device is ExecutionDevice.Cuda or ExecutionDevice.TensorRT)
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
            }

            return sessionOptions;
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static string ProviderName(ExecutionDevice device) =>
        device == ExecutionDevice.TensorRT ? ExecutionProviderReport.TensorRTProvider : ExecutionProviderReport.CudaProvider;

    /// <summary>
    /// ONNX Runtime says only "failed to load shared library"; the library it means, and what that library lacks, come
    /// from loading it ourselves.
    /// </summary>
    internal static string DiagnoseLoadFailure(ExecutionDevice device, Exception error)
    {
        var name = device == ExecutionDevice.TensorRT ? TensorRTLibrary : CudaLibrary;
        var path = FindProviderLibrary(name);
        if (path is null)
        {
            return $"{name} is not installed beside the application (a CPU-only publish leaves it out; publish with -p:ImagingRepoGpu=true)";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
        }
        catch (DllNotFoundException e)
        {
            var missing = MissingLibraries().Matches(e.Message).Select(m => m.Groups[1].Value).Distinct().ToList();
            return missing.Count > 0
                ? $"{name} needs {string.Join(", ", missing)}, which cannot be loaded (install CUDA 13 and cuDNN 9, or set LD_LIBRARY_PATH)"
                : $"{name} cannot be loaded: {FirstLine(e.Message)}";
        }

        return $"{name} loaded but the provider did not: {FirstLine(error.Message)}";
    }

    private static string? FindProviderLibrary(string name)
    {
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, name), Path.Combine(AppContext.BaseDirectory, "runtimes", arch, "native", name) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    internal static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }

    [GeneratedRegex(@"(lib[\w.+-]+\.so(?:\.\d+)*): cannot open shared object file")]
    private static partial Regex MissingLibraries();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Requested} requested but not available, running on the CPU: {Reason}")]
    private static partial void LogFallback(ILogger logger, ExecutionDevice requested, string reason);
}
