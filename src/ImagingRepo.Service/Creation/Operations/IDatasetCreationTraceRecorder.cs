using ImagingRepo.Tracing;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>Where CREATE_DATASET traces go: the trace outbox of ImagingRepo.Tracing by default.</summary>
public interface IDatasetCreationTraceRecorder
{
    /// <summary>
    /// The trace as it will be stored (its user id pseudonymized), so that the operation keeps no user id and a resumed
    /// run records byte for byte the same trace.
    /// </summary>
    /// <param name="trace">The trace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<CreateDatasetTrace> PrepareAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default);

    /// <summary>Records the trace durably; recording the same trace again is a no-op, so a resumed run neither loses nor doubles it.</summary>
    /// <param name="trace">A trace from <see cref="PrepareAsync"/>.</param>
    /// <param name="cancellationToken">Cancels waiting.</param>
    Task RecordAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default);
}

/// <summary>Records CREATE_DATASET traces in a <see cref="TraceStore"/>'s outbox, pseudonymized with the store's key.</summary>
public sealed class TraceStoreCreationRecorder : IDatasetCreationTraceRecorder
{
    private readonly Func<CancellationToken, ValueTask<TraceStore>> _store;

    /// <summary>Records in the store of the service's tracing registration (opened on first use).</summary>
    /// <param name="provider">The provider <c>AddImagingRepoTracing</c> registered.</param>
    public TraceStoreCreationRecorder(TraceStoreProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _store = provider.GetStoreAsync;
    }

    /// <summary>Records in an opened store.</summary>
    /// <param name="store">The store (with an outbox).</param>
    public TraceStoreCreationRecorder(TraceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = _ => ValueTask.FromResult(store);
    }

    /// <inheritdoc />
    public async ValueTask<CreateDatasetTrace> PrepareAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var store = await _store(cancellationToken);
        return store.Pseudonymizer is { } pseudonymizer ? (CreateDatasetTrace)pseudonymizer.Apply(trace) : trace;
    }

    /// <inheritdoc />
    public async Task RecordAsync(CreateDatasetTrace trace, CancellationToken cancellationToken = default)
    {
        var store = await _store(cancellationToken);
        await store.Outbox.RecordAsync(trace, cancellationToken);
    }
}
