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

    /// <summary>The category ONNX Runtime's own messages are logged under.</summary>
    public const string Category = "ImagingRepo.Inference.OnnxRuntime";

    /// <summary>The environment, created on first use; its messages go to the logger factory of the latest call.</summary>
    public static OrtEnv Get(ILoggerFactory loggerFactory)
    {
        lock (Gate)
        {
            s_logger = loggerFactory.CreateLogger(Category);
            if (!OrtEnv.IsCreated)
            {
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
        try
        {
            LogNative(logger, level, category, message);
        }
#pragma warning disable CA1031 // an exception must not unwind into native code: a logger that fails loses the message, nothing more
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    [LoggerMessage(Message = "onnxruntime [{Category}] {Message}")]
    private static partial void LogNative(ILogger logger, LogLevel level, string category, string message);
}
