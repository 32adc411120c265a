namespace ImagingRepo.Inference;

/// <summary>The base of every error the inference library raises on purpose; each subclass is one way a caller must react.</summary>
public class InferenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and where.</param>
    public InferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What went wrong and where.</param>
    /// <param name="innerException">The underlying error.</param>
    public InferenceException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The model file (or its sidecar) cannot be loaded: missing, corrupt, or not an ONNX model this runtime accepts.</summary>
public sealed class ModelLoadException : InferenceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="modelPath">The file that failed.</param>
    /// <param name="reason">Why.</param>
    /// <param name="innerException">The underlying error, or null.</param>
    public ModelLoadException(string modelPath, string reason, Exception? innerException = null)
        : base($"cannot load model '{modelPath}': {reason}", innerException)
    {
        ModelPath = modelPath;
        Reason = reason;
    }

    /// <summary>The file that failed.</summary>
    public string ModelPath { get; }

    /// <summary>Why, without the path.</summary>
    public string Reason { get; }
}

/// <summary>
/// The requested execution provider (CUDA, TensorRT) cannot run this model here and CPU fallback was not allowed:
/// its libraries are missing, no device is present, or it failed on the first run.
/// </summary>
public sealed class ExecutionProviderUnavailableException : InferenceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="requested">The device that was asked for.</param>
    /// <param name="reason">Why it cannot be used.</param>
    /// <param name="innerException">ONNX Runtime's error, or null.</param>
    public ExecutionProviderUnavailableException(Runtime.ExecutionDevice requested, string reason, Exception? innerException = null)
        : base($"{requested} execution was requested but is not available: {reason}. Run with the CPU device, or allow CPU fallback, to run on the CPU.", innerException)
    {
        Requested = requested;
        Reason = reason;
    }

    /// <summary>The device that was asked for.</summary>
    public Runtime.ExecutionDevice Requested { get; }

    /// <summary>Why it cannot be used.</summary>
    public string Reason { get; }
}

/// <summary>The tensors given to a model do not match its inputs (name, element type, rank or a fixed dimension).</summary>
public sealed class ModelInputMismatchException : InferenceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="inputName">The model input concerned.</param>
    /// <param name="expected">What the model declares.</param>
    /// <param name="actual">What was given.</param>
    public ModelInputMismatchException(string inputName, string expected, string actual)
        : base($"model input '{inputName}' expects {expected} but was given {actual}")
    {
        InputName = inputName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The model input concerned.</summary>
    public string InputName { get; }

    /// <summary>What the model declares.</summary>
    public string Expected { get; }

    /// <summary>What was given.</summary>
    public string Actual { get; }
}
