using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>One session of the pool with its own IO binding and run options (neither may be shared between concurrent runs).</summary>
internal sealed class SessionLane : IDisposable
{
    public SessionLane(InferenceSession session)
    {
        Session = session;
        Binding = session.CreateIoBinding();
        RunOptions = new RunOptions { LogId = "ImagingRepo.Inference" };
    }

    public InferenceSession Session { get; }

    public OrtIoBinding Binding { get; }

    public RunOptions RunOptions { get; private set; }

    /// <summary>A run stopped by its terminate flag leaves the options terminated: the next run gets fresh ones.</summary>
    public void ResetRunOptions()
    {
        RunOptions.Dispose();
        RunOptions = new RunOptions { LogId = "ImagingRepo.Inference" };
    }

    public void Dispose()
    {
        Binding.Dispose();
        RunOptions.Dispose();
        Session.Dispose();
    }
}
