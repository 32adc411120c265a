using ImagingRepo.Client.Storage;
using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Tracing.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers dataset creation: the operations, the creator, the background worker and what they need.</summary>
public static class DatasetCreationServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DatasetCreationOperations"/> (what endpoints call), the <see cref="DatasetCreationWorker"/> (unless
    /// <see cref="DatasetCreationOptions.RunWorker"/> is false) and the store's migrations at start, with
    /// <see cref="DatasetCreationOptions"/> bound from <paramref name="configuration"/> and validated at start-up. Registered
    /// before this call, an <see cref="IDataLake"/>, <see cref="IDatasetCreationStore"/> or
    /// <see cref="IDatasetCreationTraceRecorder"/> takes the place of the default (local folder, or the S3 bucket of
    /// <see cref="DatasetCreationOptions.S3"/> with <see cref="DatasetCreationOptions.DataLakeKind"/> S3; SQLite or PostgreSQL per
    /// options; the outbox of <c>AddImagingRepoTracing</c>). Register <see cref="IDatasetCreationResultSink"/>s to store results.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo:Creation</c> section (<see cref="DatasetCreationOptions.SectionName"/>).</param>
    public static IServiceCollection AddDatasetCreation(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return AddCore(services, configuration, null);
    }

    /// <summary>Adds dataset creation as <see cref="AddDatasetCreation(IServiceCollection, IConfiguration)"/> does, with the options set by <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    public static IServiceCollection AddDatasetCreation(this IServiceCollection services, Action<DatasetCreationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, null, configure);
    }

    /// <summary>Adds dataset creation with the options bound from <paramref name="configuration"/>, then adjusted by <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The <c>ImagingRepo:Creation</c> section.</param>
    /// <param name="configure">Further adjustments.</param>
    public static IServiceCollection AddDatasetCreation(this IServiceCollection services, IConfiguration configuration, Action<DatasetCreationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        return AddCore(services, configuration, configure);
    }

    private static IServiceCollection AddCore(IServiceCollection services, IConfiguration? configuration, Action<DatasetCreationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DatasetCreationOptions>();
        if (configuration is not null) options.Bind(configuration);
        if (configure is not null) options.Configure(configure);
        options.ValidateDataAnnotations()
            .Validate(o => o.HeartbeatInterval > TimeSpan.Zero && o.HeartbeatInterval * 2 <= o.LeaseDuration,
                "HeartbeatInterval must be positive and at most half of LeaseDuration, so that a claim is renewed before it lapses")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "PollInterval must be positive")
            .Validate(o => o.Database != DatasetCreationDatabase.PostgreSql || !string.IsNullOrEmpty(o.PostgresConnectionString),
                "PostgresConnectionString is required when Database is PostgreSql")
            .Validate(o => o.DataLakeKind != DataLakeKind.S3 || !string.IsNullOrWhiteSpace(o.S3.Bucket),
                "S3:Bucket is required when DataLakeKind is S3")
            .Validate(o => o.DataLakeKind != DataLakeKind.S3 || o.DataLakePath is null || Path.IsPathFullyQualified(o.DataLakePath),
                "DataLakePath must be the absolute path the lake is mounted at in the datasets' pods when DataLakeKind is S3")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDataLake>(sp =>
        {
            var o = Options(sp);
            return o.DataLakeKind == DataLakeKind.S3
                ? new ObjectStoreDataLake(new S3DataLakeStorage(o.S3, sp.GetService<ILogger<S3DataLakeStorage>>()), o.DataLakePath!, ownsStorage: true)
                : new LocalFolderDataLake(o.DataLakePath!);
        });
        services.TryAddSingleton<IDatasetCreationStore>(sp =>
        {
            var o = Options(sp);
            var time = sp.GetRequiredService<TimeProvider>();
            return o.Database == DatasetCreationDatabase.PostgreSql
                ? new PostgresDatasetCreationStore(o.PostgresConnectionString!, time)
                : new SqliteDatasetCreationStore(o.SqlitePath, time);
        });
        services.TryAddSingleton<IDatasetCreationTraceRecorder>(sp => new TraceStoreCreationRecorder(sp.GetRequiredService<TraceStoreProvider>()));
        services.TryAddSingleton(sp => new DatasetCreator(sp.GetRequiredService<IDataLake>(), Options(sp).DatasetsPath!,
            Options(sp).MaxDegreeOfParallelism, sp.GetRequiredService<ILogger<DatasetCreator>>()));
        services.TryAddSingleton<DatasetCreationSignal>();
        services.TryAddSingleton<DatasetCreationRunner>();
        services.TryAddSingleton<DatasetCreationOperations>();
        services.TryAddSingleton<DatasetCreationDrain>();
        services.AddHostedService<DatasetCreationStoreInitializer>();
        services.AddHostedService<DatasetCreationWorker>();
        return services;
    }

    private static DatasetCreationOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<DatasetCreationOptions>>().Value;
}
