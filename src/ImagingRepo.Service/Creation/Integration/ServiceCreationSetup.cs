using ImagingRepo.Service.Creation.KubernetesJob;
using ImagingRepo.Service.Creation.Operations;
using k8s;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineStore = ImagingRepo.Service.Creation.Operations.IDatasetCreationStore;
using ServiceCreationStore = ImagingRepo.Service.Datasets.IDatasetCreationStore;

namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// Installs the durable creation pipeline in the service when a data lake is configured
/// (<c>ImagingRepo:Creation:DataLakePath</c>): datasets are laid out under the data directory's <c>datasets</c> folder
/// unless configured, operations are kept beside the metadata (<c>creation.db</c> in the data directory, or the same
/// PostgreSQL), and traces carry the service's caller id; with <c>ImagingRepo:Creation:Job:Enabled</c> Kubernetes Jobs
/// run them (<see cref="CreationJobOptions"/>). Without a lake the pass-through stands in.
/// </summary>
internal static class ServiceCreationSetup
{
    public static bool AddServiceCreation(this IServiceCollection services, IConfiguration configuration, string dataDirectory,
        StorageOptions storage, string callerId)
    {
        var section = configuration.GetSection(DatasetCreationOptions.SectionName);
        if (string.IsNullOrEmpty(section[nameof(DatasetCreationOptions.DataLakePath)])) return false;

        services.AddSingleton<PipelineStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<DatasetCreationOptions>>().Value;
            var time = sp.GetRequiredService<TimeProvider>();
            PipelineStore inner = o.Database == DatasetCreationDatabase.PostgreSql
                ? new PostgresDatasetCreationStore(o.PostgresConnectionString!, time)
                : new SqliteDatasetCreationStore(o.SqlitePath, time);
            return new StatusMirroringCreationStore(inner, sp.GetRequiredService<ServiceCreationStore>(),
                sp.GetRequiredService<ILogger<StatusMirroringCreationStore>>());
        });
        services.AddSingleton<IDatasetCreationResultSink, ServiceDatasetResultSink>();
        services.AddSingleton<PipelineCreationQueue>();
        services.TryAddSingleton<IDatasetCreationQueue>(sp => sp.GetRequiredService<PipelineCreationQueue>());
        services.AddDatasetCreation(section, o =>
        {
            if (string.IsNullOrEmpty(section[nameof(DatasetCreationOptions.DatasetsPath)])) o.DatasetsPath = Path.Combine(dataDirectory, "datasets");
            if (string.IsNullOrEmpty(section[nameof(DatasetCreationOptions.SqlitePath)])) o.SqlitePath = Path.Combine(dataDirectory, "creation.db");
            if (string.IsNullOrEmpty(section[nameof(DatasetCreationOptions.CallerId)])) o.CallerId = callerId;
            if (string.IsNullOrEmpty(section[nameof(DatasetCreationOptions.Database)]) && storage.Provider == StorageProvider.PostgreSql)
            {
                o.Database = DatasetCreationDatabase.PostgreSql;
                o.PostgresConnectionString ??= storage.PostgreSqlConnectionString;
            }
        });
        services.AddHostedService<UnqueuedCreationRecovery>();
        AddCreationJobs(services, configuration.GetSection(CreationJobOptions.SectionName));
        return true;
    }

    /// <summary>With <c>ImagingRepo:Creation:Job:Enabled</c>, Kubernetes Jobs run the creations and this process only queues them.</summary>
    private static void AddCreationJobs(IServiceCollection services, IConfigurationSection section)
    {
        if (!section.GetValue<bool>(nameof(CreationJobOptions.Enabled))) return;
        services.AddOptions<CreationJobOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<DatasetCreationOptions>(o => o.RunWorker = false);
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var apiServer = sp.GetRequiredService<IOptions<CreationJobOptions>>().Value.ApiServer;
            return new k8s.Kubernetes(string.IsNullOrEmpty(apiServer)
                ? KubernetesClientConfiguration.InClusterConfig()
                : new KubernetesClientConfiguration { Host = apiServer });
        });
        services.AddSingleton<IDatasetCreationLauncher, KubernetesCreationJobLauncher>();
    }
}
