using ImagingRepo.Service.Creation.Lake;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// Runs one claimed operation to its end, so that a crash at any point leaves something a later run completes: the
/// dataset is laid out and hashed (<see cref="DatasetCreator"/>, repeatable), the result and the trace prepared from it
/// are saved together with the operation (from then on every run records that same trace), the trace is recorded
/// (idempotent), the result sinks are told (idempotent), and only then is the operation finished. While it runs, a
/// heartbeat renews the claim, saves the last message and picks up a cancel request.
/// </summary>
public sealed class DatasetCreationRunner
{
    /// <summary>The <c>traceResources</c> ids of a CREATE_DATASET trace, as the CHAIMELEON dataset service names them.</summary>
    public const string IndexResource = "index", ImagesResource = "images", ClinicalDataResource = "clinicalData";

    private readonly DatasetCreator _creator;
    private readonly IDatasetCreationStore _store;
    private readonly IDatasetCreationTraceRecorder _recorder;
    private readonly IReadOnlyList<IDatasetCreationResultSink> _sinks;
    private readonly DatasetCreationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the runner.</summary>
    /// <param name="creator">Lays out and hashes.</param>
    /// <param name="store">The operations.</param>
    /// <param name="recorder">Where traces go.</param>
    /// <param name="sinks">Told each result.</param>
    /// <param name="options">Lease, heartbeat, attempts, caller id.</param>
    /// <param name="time">Clock.</param>
    /// <param name="logger">Logger.</param>
    public DatasetCreationRunner(DatasetCreator creator, IDatasetCreationStore store, IDatasetCreationTraceRecorder recorder,
        IEnumerable<IDatasetCreationResultSink> sinks, IOptions<DatasetCreationOptions> options, TimeProvider time, ILogger<DatasetCreationRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _creator = creator ?? throw new ArgumentNullException(nameof(creator));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _sinks = [.. sinks ?? []];
        _options = options.Value;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs <paramref name="claim"/>; returns when it is finished, in error, released or its claim lost.</summary>
    /// <param name="claim">An operation claimed from the store.</param>
    /// <param name="stoppingToken">The host is stopping: the claim is given back for a later run to resume.</param>
    public async Task RunAsync(ClaimedCreation claim, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var id = claim.DatasetId;
        var run = new RunState(id, _logger);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(claim, run, work, heartbeatStop.Token);
        _logger.LogInformation("Dataset {DatasetId}: creation run {Attempt} started", id, claim.Attempts);
        try
        {
            if (claim.Attempts > _options.MaxAttempts)
            {
                await EndAsync(claim, DatasetCreationStatus.Error, $"Stopped after {claim.Attempts - 1} interrupted runs; restart it once the cause is fixed");
                return;
            }

            var (result, trace) = (claim.Result, claim.Trace);
            if (result is null || trace is null)
            {
                if (claim.CancelRequested) throw new OperationCanceledException(CreationMessages.Canceled);
                result = await _creator.CreateAsync(claim.Request, run, work.Token);
                trace = await _recorder.PrepareAsync(NewTrace(claim.Request, result), work.Token);
                run.Report(new DatasetCreationProgress(DatasetCreationStage.Recording));
                if (!await _store.SaveResultAsync(id, claim.Owner, result, trace, CancellationToken.None))
                {
                    // not saved: the claim was lost, or a cancel came first (a cancel is refused once a result is saved)
                    var lease = await _store.RenewAsync(id, claim.Owner, _options.LeaseDuration, null, CancellationToken.None);
                    if (lease == LeaseState.CancelRequested) run.CancelRequested = true;
                    else run.LeaseLost = true;
                    throw new OperationCanceledException();
                }
            }

            // From here on the trace is fixed: a cancel is refused, and an interrupted run records this same trace.
            run.PastNoReturn = true;
            run.Report(new DatasetCreationProgress(DatasetCreationStage.Recording));
            await _recorder.RecordAsync(trace, stoppingToken);
            foreach (var sink in _sinks) await sink.ApplyAsync(result, stoppingToken);
            await EndAsync(claim, DatasetCreationStatus.Finished, CreationMessages.Finished);
        }
        catch (OperationCanceledException) when ((run.CancelRequested && !run.PastNoReturn) || (claim.CancelRequested && claim.Result is null))
        {
            _creator.RemoveLayout(id);
            await EndAsync(claim, DatasetCreationStatus.Error, CreationMessages.Canceled);
        }
        catch (OperationCanceledException) when (run.LeaseLost)
        {
            _logger.LogWarning("Dataset {DatasetId}: the claim on the creation was lost (another worker took it over); this run stops", id);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            var released = await _store.ReleaseAsync(id, claim.Owner, CreationMessages.Released, CancellationToken.None);
            _logger.LogInformation("Dataset {DatasetId}: creation {Outcome} as the service stops", id, released ? "given back to resume later" : "already taken over");
        }
        catch (Exception e) when (e is DatasetCreationException or DataLakePathException)
        {
            _logger.LogWarning("Dataset {DatasetId}: creation failed: {Reason}", id, e.Message);
            if (!run.PastNoReturn && !run.LeaseLost) _creator.RemoveLayout(id);
            await EndAsync(claim, DatasetCreationStatus.Error, e.Message);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Dataset {DatasetId}: creation failed unexpectedly", id);
            if (!run.PastNoReturn && !run.LeaseLost) _creator.RemoveLayout(id);
            await EndAsync(claim, DatasetCreationStatus.Error, $"{CreationMessages.Unexpected} ({e.GetType().Name}); see the service log");
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
        }
    }

    private CreateDatasetTrace NewTrace(DatasetCreationRequest request, DatasetCreationResult result) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = _options.CallerId,
        Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        UserId = request.AuthorId,
        DatasetId = request.DatasetId,
        TraceResources =
        [
            new TraceResource(IndexResource, result.IndexHash, TraceHashType.Sha3_256),
            new TraceResource(ImagesResource, result.ImagesHash, TraceHashType.Sha3_256),
            new TraceResource(ClinicalDataResource, result.ClinicalDataHash, TraceHashType.Sha3_256),
        ],
    };

    private async Task EndAsync(ClaimedCreation claim, DatasetCreationStatus status, string message)
    {
        if (await _store.CompleteAsync(claim.DatasetId, claim.Owner, status, message, CancellationToken.None))
        {
            _logger.LogInformation("Dataset {DatasetId}: creation {Status}: {Message}", claim.DatasetId, status, message);
        }
        else
        {
            _logger.LogWarning("Dataset {DatasetId}: creation ended ({Status}) after its claim was lost; the new owner decides", claim.DatasetId, status);
        }
    }

    /// <summary>Renews the claim every heartbeat interval, saving the last message; stops the work on a lost claim or a cancel request.</summary>
    private async Task HeartbeatAsync(ClaimedCreation claim, RunState run, CancellationTokenSource work, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.HeartbeatInterval, _time, stop);
                LeaseState lease;
                try
                {
                    lease = await _store.RenewAsync(claim.DatasetId, claim.Owner, _options.LeaseDuration, run.TakeMessage(), stop);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // the next beat tries again; the claim only lapses if the store stays out of reach for a whole lease
                    _logger.LogWarning(e, "Dataset {DatasetId}: could not renew the creation's claim", claim.DatasetId);
                    continue;
                }

                if (lease == LeaseState.Lost)
                {
                    run.LeaseLost = true;
                    await work.CancelAsync();
                    return;
                }

                if (lease == LeaseState.CancelRequested && !run.PastNoReturn)
                {
                    run.CancelRequested = true;
                    await work.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // the run is over
        }
    }

    /// <summary>What the heartbeat and the run share; also the creator's progress, which logs each new step.</summary>
    private sealed class RunState(string datasetId, ILogger logger) : IProgress<DatasetCreationProgress>
    {
        private readonly Lock _stageLock = new();
        private string? _message;
        private DatasetCreationStage? _stage;

        public volatile bool CancelRequested;
        public volatile bool LeaseLost;
        public volatile bool PastNoReturn;

        public void Report(DatasetCreationProgress value)
        {
            Volatile.Write(ref _message, value.ToString());
            lock (_stageLock)
            {
                if (_stage == value.Stage) return;
                _stage = value.Stage;
            }

            logger.LogInformation("Dataset {DatasetId}: {Step}", datasetId, value.ToString());
        }

        /// <summary>The last message reported since the previous call, or null when there is none new.</summary>
        public string? TakeMessage() => Interlocked.Exchange(ref _message, null);
    }
}
