using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// ONNX Runtime's process-wide environment, created once with its log routed to an <see cref="ILogger"/> instead of
/// standard error (ONNX Runtime writes a provider's load failure there before it throws).
/// </summary>
internal static partial class OrtEnvironment
{
    private static readonly Lock Gate = new();
    private static ILogger? s_logger;
    private static DOrtLoggingFunction? s_callback; // kept reachable: native code holds a pointer to it

    /// <summary>The environment, created on first use with the first logger factory given.</summary>
    public static OrtEnv Get(ILoggerFactory loggerFactory)
    {
        lock (Gate)
        {
            if (!OrtEnv.IsCreated)
            {
                s_logger = loggerFactory.CreateLogger("ImagingRepo.Inference.OnnxRuntime");
                s_callback = Forward;
                var options = new EnvironmentCreationOptions
                {
                    logId = "ImagingRepo.Inference",
                    logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                    loggingFunction = s_callback,
                };
                return OrtEnv.CreateInstanceWithOptions(ref options);
            }

            return OrtEnv.Instance();
        }
    }

    private static void Forward(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        if (s_logger is not { } logger)
        {
            return;
        }

        var level = severity switch
        {
            OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
            OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Debug,
            OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        LogNative(logger, level, category, message);
    }

    [LoggerMessage(Message = "onnxruntime [{Category}] {Message}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string category, string message);
}
