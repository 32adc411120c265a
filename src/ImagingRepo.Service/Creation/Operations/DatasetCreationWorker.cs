using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// The background worker of one replica: claims pending operations (and those whose worker died) and runs up to
/// <see cref="DatasetCreationOptions.MaxConcurrentOperations"/> at once; idle, it waits for a local queueing or the poll
/// interval. When the host stops, running operations are given back so that the next start, or another replica, resumes
/// them.
/// </summary>
public sealed class DatasetCreationWorker : BackgroundService
{
    private readonly IDatasetCreationStore _store;
    private readonly DatasetCreationRunner _runner;
    private readonly DatasetCreationSignal _signal;
    private readonly DatasetCreationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the worker.</summary>
    /// <param name="store">The operations.</param>
    /// <param name="runner">Runs one operation.</param>
    /// <param name="signal">Wakes the worker when work is queued here.</param>
    /// <param name="options">Replica id, lease, poll interval, concurrency.</param>
    /// <param name="time">Clock.</param>
    /// <param name="logger">Logger.</param>
    public DatasetCreationWorker(IDatasetCreationStore store, DatasetCreationRunner runner, DatasetCreationSignal signal,
        IOptions<DatasetCreationOptions> options, TimeProvider time, ILogger<DatasetCreationWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _signal = signal ?? throw new ArgumentNullException(nameof(signal));
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Owner = _options.ReplicaId ?? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    }

    /// <summary>The name this replica claims operations under.</summary>
    public string Owner { get; }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunWorker) return;
        _logger.LogInformation("Dataset creation worker {Owner} started", Owner);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentOperations);
        var running = new List<Task>();
        try
        {
            while (true)
            {
                await slots.WaitAsync(stoppingToken);
                var wake = _signal.Next;
                ClaimedCreation? claim = null;
                try
                {
                    claim = await _store.ClaimNextAsync(Owner, _options.LeaseDuration, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // polling again after the interval is the recovery: nothing was claimed
                    _logger.LogWarning(e, "Dataset creation worker {Owner}: could not look for pending operations", Owner);
                }

                if (claim is null)
                {
                    slots.Release();
                    await WaitAsync(wake, stoppingToken);
                    continue;
                }

                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(claim, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the runs give their claims back
        }

        await Task.WhenAll(running);
        _logger.LogInformation("Dataset creation worker {Owner} stopped", Owner);
    }

    private async Task RunAsync(ClaimedCreation claim, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield(); // the loop goes on claiming while this one runs
            await _runner.RunAsync(claim, stoppingToken);
        }
        catch (Exception e)
        {
            // the runner ends every operation itself; this only keeps the worker alive when the store failed it too
            _logger.LogError(e, "Dataset {DatasetId}: the creation run could not record its end", claim.DatasetId);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task WaitAsync(Task wake, CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = Task.Delay(_options.PollInterval, _time, poll.Token);
        await Task.WhenAny(wake, delay);
        await poll.CancelAsync();
        stoppingToken.ThrowIfCancellationRequested();
    }
}
