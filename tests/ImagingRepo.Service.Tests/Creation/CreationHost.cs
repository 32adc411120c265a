using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.DependencyInjection;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>Where one creation deployment keeps things: the lake, the datasets, the operations and the traces.</summary>
/// <param name="LakePath">The data lake.</param>
/// <param name="DatasetsPath">The dataset folders.</param>
/// <param name="StateFolder">Holds the SQLite files (operations, trace outbox) and the ledger.</param>
/// <param name="PostgresConnectionString">Operations in PostgreSQL instead of SQLite, when set.</param>
internal sealed record CreationSite(string LakePath, string DatasetsPath, string StateFolder, string? PostgresConnectionString = null)
{
    /// <summary>The platform's pseudonymization key (test value).</summary>
    public static readonly byte[] PseudonymizationKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    public string OperationsDatabase => Path.Combine(StateFolder, "creation.db");

    public string OutboxDatabase => Path.Combine(StateFolder, "traces.db");

    /// <summary>
    /// A host running the creation worker as the service would (tracing with a SQLite outbox, no dispatcher), with short
    /// leases so that a lapsed claim is taken over quickly.
    /// </summary>
    public IHost BuildHost(string replica, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug));
        configure?.Invoke(builder.Services);
        builder.Services.AddImagingRepoTracing(o =>
        {
            o.SqlitePath = OutboxDatabase;
            o.FileLedgerPath = Path.Combine(StateFolder, "ledger.jsonl");
            o.PseudonymizationKey = Convert.ToBase64String(PseudonymizationKey);
            o.RunDispatcher = false;
        });
        builder.Services.AddDatasetCreation(o =>
        {
            o.DataLakePath = LakePath;
            o.DatasetsPath = DatasetsPath;
            o.SqlitePath = OperationsDatabase;
            if (PostgresConnectionString is not null)
            {
                o.Database = DatasetCreationDatabase.PostgreSql;
                o.PostgresConnectionString = PostgresConnectionString;
            }

            o.ReplicaId = replica;
            o.LeaseDuration = TimeSpan.FromSeconds(2);
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(200);
            o.PollInterval = TimeSpan.FromMilliseconds(200);
            o.MaxDegreeOfParallelism = 2;
        });
        return builder.Build();
    }

    /// <summary>The CREATE_DATASET traces the outbox holds for a dataset.</summary>
    public async Task<IReadOnlyList<TraceRecord>> TracesAsync(string datasetId)
    {
        await using var store = await new TraceStoreBuilder().UseSqliteOutbox(OutboxDatabase).BuildAsync();
        return await store.Outbox.ListAsync(new TraceListQuery(DatasetId: datasetId, Action: TraceUserAction.CreateDataset));
    }

    /// <summary>An operation store of its own on the same database, as another process would open it.</summary>
    public async Task<IDatasetCreationStore> OpenStoreAsync()
    {
        IDatasetCreationStore store = PostgresConnectionString is null
            ? new SqliteDatasetCreationStore(OperationsDatabase, TimeProvider.System)
            : new PostgresDatasetCreationStore(PostgresConnectionString, TimeProvider.System);
        await store.InitializeAsync();
        return store;
    }

    /// <summary>Waits until the operation of <paramref name="datasetId"/> is finished or in error (a minute at most, then fails).</summary>
    public static async Task<DatasetCreationState> WaitForEndAsync(IDatasetCreationStore store, string datasetId) =>
        await WaitForAsync(store, datasetId, s => s.Status is DatasetCreationStatus.Finished or DatasetCreationStatus.Error);

    public static async Task<DatasetCreationState> WaitForAsync(IDatasetCreationStore store, string datasetId, Func<DatasetCreationState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            if (await store.GetAsync(datasetId, timeout.Token) is { } state && condition(state)) return state;
            await Task.Delay(50, timeout.Token);
        }
    }
}

/// <summary>A real lake whose first file read waits until the test lets it go: a creation held in mid-run.</summary>
internal sealed class GatedDataLake(IDataLake inner) : IDataLake
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a creation first reads a file.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _open.TrySetResult();

    public ValueTask<DataLakeStudy?> FindStudyAsync(string pathInDatalake, CancellationToken cancellationToken = default) => inner.FindStudyAsync(pathInDatalake, cancellationToken);

    public ValueTask<DataLakeSeries?> FindSeriesAsync(DataLakeStudy study, string folderName, CancellationToken cancellationToken = default) =>
        inner.FindSeriesAsync(study, folderName, cancellationToken);

    public async ValueTask<Stream> OpenReadAsync(DataLakeFile file, CancellationToken cancellationToken = default)
    {
        _reached.TrySetResult();
        await _open.Task.WaitAsync(cancellationToken);
        return await inner.OpenReadAsync(file, cancellationToken);
    }
}

/// <summary>Collects the results a host's creations deliver.</summary>
internal sealed class CollectingSink : IDatasetCreationResultSink
{
    private readonly Lock _lock = new();
    private readonly List<DatasetCreationResult> _results = [];

    public IReadOnlyList<DatasetCreationResult> Results
    {
        get
        {
            lock (_lock) return [.. _results];
        }
    }

    public Task ApplyAsync(DatasetCreationResult result, CancellationToken cancellationToken = default)
    {
        lock (_lock) _results.Add(result);
        return Task.CompletedTask;
    }
}
