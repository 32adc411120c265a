using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the tracing outbox, ledger, verifier and background dispatcher.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TraceOutbox"/>, <see cref="ITraceLedger"/>, <see cref="UserPseudonymizer"/>,
    /// <see cref="TraceVerifier"/> and (unless disabled) a hosted service running the <see cref="TraceDispatcher"/>,
    /// with <see cref="TracingOptions"/> bound from <paramref name="configuration"/> and validated at start-up.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo:Tracing</c> section (<see cref="TracingOptions.SectionName"/>).</param>
    public static IServiceCollection AddImagingRepoTracing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, null);
    }

    /// <summary>
    /// Adds the tracing services as <see cref="AddImagingRepoTracing(IServiceCollection, IConfiguration)"/> does, with
    /// the options set by <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddImagingRepoTracing(this IServiceCollection services, Action<TracingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>
    /// Adds the tracing services with the options bound from <paramref name="configuration"/>, then adjusted by
    /// <paramref name="configure"/> (for values kept out of configuration, such as keys from a secret store).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo:Tracing</c> section (<see cref="TracingOptions.SectionName"/>).</param>
    /// <param name="configure">Further adjustments.</param>
    public static IServiceCollection AddImagingRepoTracing(this IServiceCollection services, IConfiguration configuration, Action<TracingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration, configure);
    }

    private static IServiceCollection AddCore(IServiceCollection services, IConfiguration? configuration, Action<TracingOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<TracingOptions>();
        if (configuration is not null) builder.Bind(configuration);
        if (configure is not null) builder.Configure(configure);
        builder.ValidateDataAnnotations()
            .Validate(o => o.KeyBytes().Length >= UserPseudonymizer.MinKeyBytes, $"PseudonymizationKey must decode to at least {UserPseudonymizer.MinKeyBytes} bytes")
            .ValidateOnStart();

        services.TryAddSingleton(sp => new UserPseudonymizer(sp.GetRequiredService<IOptions<TracingOptions>>().Value.KeyBytes()));

        // Opening is quick (a local file or a pool); done once, on first use.
        services.TryAddSingleton<TraceOutbox>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TracingOptions>>().Value;
            var pseudonymizer = sp.GetRequiredService<UserPseudonymizer>();
            return options.PostgresConnectionString is { Length: > 0 } cs
                ? PostgresTraceOutbox.OpenAsync(cs, new TraceOutboxOptions { Pseudonymizer = pseudonymizer }).GetAwaiter().GetResult()
                : SqliteTraceOutbox.OpenAsync(options.SqlitePath, new SqliteTraceOutboxOptions { Pseudonymizer = pseudonymizer }).GetAwaiter().GetResult();
        });
        services.TryAddSingleton<ITraceLedger>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TracingOptions>>().Value;
            return options.Ethereum is { } ethereum
                ? new EthereumTraceLedger(ethereum)
                : FileTraceLedger.OpenAsync(options.FileLedgerPath).GetAwaiter().GetResult();
        });
        services.TryAddSingleton(sp => new TraceVerifier(
            sp.GetRequiredService<TraceOutbox>(), sp.GetRequiredService<ITraceLedger>(), sp.GetRequiredService<UserPseudonymizer>()));
        services.AddHostedService<TraceDispatcherService>();
        return services;
    }
}

/// <summary>Runs the <see cref="TraceDispatcher"/> for the lifetime of the host.</summary>
internal sealed class TraceDispatcherService(IServiceProvider services, IOptions<TracingOptions> options, ILogger<TraceDispatcher> logger) : IHostedService, IAsyncDisposable
{
    private TraceDispatcher? _dispatcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.RunDispatcher) return Task.CompletedTask;
        _dispatcher = new TraceDispatcher(services.GetRequiredService<TraceOutbox>(), services.GetRequiredService<ITraceLedger>(), options.Value.Dispatcher, logger);
        _dispatcher.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_dispatcher is not null) await _dispatcher.DisposeAsync().ConfigureAwait(false);
        _dispatcher = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
