using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// Runs queued operations one after the other until none is left, then returns: the body of a one-shot process — a
/// Kubernetes Job that the service (with <see cref="DatasetCreationOptions.RunWorker"/> false) starts after queueing, as
/// CHAIMELEON runs its creation jobs — with the same claims, leases and crash safety as the in-process worker.
/// </summary>
public sealed class DatasetCreationDrain
{
    private readonly IDatasetCreationStore _store;
    private readonly DatasetCreationRunner _runner;
    private readonly DatasetCreationOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the drain.</summary>
    /// <param name="store">The operations.</param>
    /// <param name="runner">Runs one operation.</param>
    /// <param name="options">Replica id and lease.</param>
    /// <param name="logger">Logger.</param>
    public DatasetCreationDrain(IDatasetCreationStore store, DatasetCreationRunner runner, IOptions<DatasetCreationOptions> options, ILogger<DatasetCreationDrain> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Claims and runs operations until none is pending; returns how many it ran.</summary>
    /// <param name="cancellationToken">Stops after giving the running operation back.</param>
    public async Task<int> RunUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        var owner = _options.ReplicaId ?? $"{Environment.MachineName}-job-{Environment.ProcessId}-{Guid.NewGuid():N}";
        await _store.InitializeAsync(cancellationToken);
        var runs = 0;
        while (!cancellationToken.IsCancellationRequested && await _store.ClaimNextAsync(owner, _options.LeaseDuration, cancellationToken) is { } claim)
        {
            await _runner.RunAsync(claim, cancellationToken);
            runs++;
        }

        _logger.LogInformation("Dataset creation job {Owner}: {Runs} operations run, none left", owner, runs);
        return runs;
    }
}
