using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Tracing.DependencyInjection;

/// <summary>Runs the store's dispatcher for the lifetime of the host; opening the store is awaited in <see cref="StartAsync"/>.</summary>
internal sealed class TraceDispatcherService(TraceStoreProvider provider, IOptions<TracingOptions> options) : IHostedService
{
    private TraceStore? _store;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RunDispatcher) return;
        _store = await provider.GetStoreAsync(cancellationToken).ConfigureAwait(false);
        _store.Dispatcher.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stops the loop only; the provider closes the outbox and the ledger when the container is disposed.
        if (_store is not null) await _store.Dispatcher.DisposeAsync().ConfigureAwait(false);
        _store = null;
    }
}
