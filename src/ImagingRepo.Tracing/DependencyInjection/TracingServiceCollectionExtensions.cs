using ImagingRepo.Tracing;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Privacy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the trace store (outbox, ledger, verifier) and the background dispatcher.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TraceStoreProvider"/> (awaited for the <see cref="TraceStore"/>: opened on first use),
    /// <see cref="UserPseudonymizer"/> and (unless disabled) a hosted service running the store's dispatcher, with
    /// <see cref="TracingOptions"/> bound from <paramref name="configuration"/> and validated at start-up.
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

    /// <summary>
    /// Adjusts the <see cref="TraceStoreBuilder"/> the registered <see cref="TraceStoreProvider"/> builds from, after the
    /// <see cref="TracingOptions"/> were applied, in registration order: what plugins use to put their outbox or ledger
    /// in place of the defaults.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adjusts the builder; the service provider gives the plugin's own options.</param>
    public static IServiceCollection ConfigureImagingRepoTracing(this IServiceCollection services, Action<TraceStoreBuilder, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(new TraceStoreConfiguration(configure));
        return services;
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

        // No factory here opens anything: opening is asynchronous, so the provider opens the store on the first await.
        services.TryAddSingleton<TraceStoreProvider>();
        services.AddHostedService<TraceDispatcherService>();
        return services;
    }
}
