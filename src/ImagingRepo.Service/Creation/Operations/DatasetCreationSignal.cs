namespace ImagingRepo.Service.Creation.Operations;

/// <summary>Wakes this replica's idle worker when an operation is queued or restarted here; other replicas find it by polling.</summary>
public sealed class DatasetCreationSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when <see cref="Notify"/> is next called; take it before looking for work, so that no notification is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes whoever waits on <see cref="Next"/>.</summary>
    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
