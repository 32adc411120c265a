using ImagingRepo.Tracing.Privacy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Tracing.DependencyInjection;

/// <summary>
/// The <see cref="TraceStore"/> of a service provider, opened on the first <see cref="GetStoreAsync"/> and shared by
/// every caller after. Opening is asynchronous (a file to check, a server to reach), and a factory of the container
/// can only block on it; so the container holds this provider, which callers await, and a failed opening is tried
/// again by the next caller rather than remembered. Disposed with the container, it disposes the store.
/// </summary>
public sealed class TraceStoreProvider : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly SemaphoreSlim _opening = new(1, 1);
    private TraceStore? _store;
    private volatile bool _disposed;

    /// <summary>Creates the provider (done by <c>AddImagingRepoTracing</c>).</summary>
    /// <param name="services">Gives the options, the pseudonymizer, the logger factory and the plugins' adjustments.</param>
    public TraceStoreProvider(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
    }

    /// <summary>The store, opened by the first call (which the others wait for).</summary>
    /// <param name="cancellationToken">Cancels waiting and opening.</param>
    public async ValueTask<TraceStore> GetStoreAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _store) is { } store) return store;
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_store is not null) return _store;
            _store = await CreateBuilder().BuildAsync(cancellationToken).ConfigureAwait(false);
            return _store;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>The builder as the options and the registered plugins configure it.</summary>
    internal TraceStoreBuilder CreateBuilder()
    {
        var options = _services.GetRequiredService<IOptions<TracingOptions>>().Value;
        var builder = new TraceStoreBuilder()
            .UsePseudonymizer(_services.GetRequiredService<UserPseudonymizer>())
            .UseSqliteOutbox(options.SqlitePath)
            .UseFileLedger(options.FileLedgerPath)
            .UseDispatcherOptions(options.Dispatcher)
            .UseLoggerFactory(_services.GetService<ILoggerFactory>());
        if (_services.GetService<TimeProvider>() is { } time) builder.UseTimeProvider(time);
        foreach (var configuration in _services.GetServices<TraceStoreConfiguration>()) configuration.Configure(builder, _services);
        return builder;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _opening.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            var store = Interlocked.Exchange(ref _store, null);
            if (store is not null) await store.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _opening.Release();
        }
    }
}
