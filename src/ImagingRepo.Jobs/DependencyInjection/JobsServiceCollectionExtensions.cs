using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ImagingRepo.Jobs.</summary>
public static class JobsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the renderer, policy checker, workspace provisioner and <see cref="JobsClient"/> (which uses the
    /// registered renderer and policy checker), with <see cref="JobsOptions"/> bound from <paramref name="configuration"/>
    /// and validated at start-up. An <see cref="IKubernetes"/> from the default kubeconfig or in-cluster configuration
    /// is added unless one is registered. The application registers <see cref="IDatasetAccessGate"/>,
    /// <see cref="IDatasetAccessRecorder"/> and <see cref="IDatasetUseTraceSink"/> (the dataset-service client provides them).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>ImagingRepo:Jobs</c> section (<see cref="JobsOptions.SectionName"/>).</param>
    public static IServiceCollection AddImagingRepoJobs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, null);
    }

    /// <summary>
    /// Registers the jobs services as <see cref="AddImagingRepoJobs(IServiceCollection, IConfiguration)"/> does, with
    /// the options set by <paramref name="configure"/> on top of the defaults.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddImagingRepoJobs(this IServiceCollection services, Action<JobsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>
    /// Registers the jobs services with the options bound from <paramref name="configuration"/>, then adjusted by
    /// <paramref name="configure"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>ImagingRepo:Jobs</c> section (<see cref="JobsOptions.SectionName"/>).</param>
    /// <param name="configure">Further adjustments.</param>
    public static IServiceCollection AddImagingRepoJobs(this IServiceCollection services, IConfiguration configuration, Action<JobsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration, configure);
    }

    private static IServiceCollection AddCore(IServiceCollection services, IConfiguration? configuration, Action<JobsOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<JobsOptions>();
        if (configuration is not null) builder.Bind(configuration);
        if (configure is not null) builder.Configure(configure);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig()));
        services.TryAddSingleton(sp => new ManifestRenderer(sp.GetRequiredService<IOptions<JobsOptions>>().Value));
        services.TryAddSingleton(sp => new PolicyChecker(sp.GetRequiredService<IOptions<JobsOptions>>().Value.Policy));
        services.TryAddSingleton(sp => new WorkspaceProvisioner(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IOptions<JobsOptions>>().Value,
            sp.GetService<ILogger<WorkspaceProvisioner>>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new JobsClient(sp.GetRequiredService<IKubernetes>(), sp.GetRequiredService<IOptions<JobsOptions>>().Value,
            sp.GetRequiredService<IDatasetAccessGate>(), sp.GetRequiredService<IDatasetAccessRecorder>(), sp.GetRequiredService<IDatasetUseTraceSink>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<JobsClient>>(), sp.GetRequiredService<ManifestRenderer>(),
            sp.GetRequiredService<PolicyChecker>()));
        return services;
    }
}
