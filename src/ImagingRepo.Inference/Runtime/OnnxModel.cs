using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// An ONNX model loaded for inference: the execution provider chosen and proven at load (see
/// <see cref="ExecutionProvider"/>), a pool of warmed-up sessions, and runs over pooled buffers through IO binding.
/// Thread-safe: concurrent runs share the pool, as many at once as it has sessions.
/// </summary>
public sealed partial class OnnxModel : IDisposable
{
    private readonly SessionPool _pool;
    private readonly ModelRuntimeOptions _options;
    private readonly ILogger _logger;

    private OnnxModel(string path, ModelDescription description, ExecutionProviderReport report, SessionPool pool, ModelRuntimeOptions options, ILogger logger)
    {
        ModelPath = path;
        Description = description;
        ExecutionProvider = report;
        _pool = pool;
        _options = options;
        _logger = logger;
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>Name, version, manufacturer, digest, inputs, outputs, labels and preprocessing.</summary>
    public ModelDescription Description { get; }

    /// <summary>What the model runs on, and why when it is not what was asked for.</summary>
    public ExecutionProviderReport ExecutionProvider { get; }

    /// <summary>Loads a model: reads its sidecar, creates the sessions on the requested device and warms them up.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file.</param>
    /// <param name="options">Runtime options; defaults when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <returns>The loaded model.</returns>
    /// <exception cref="ModelLoadException">The file or its sidecar is missing, corrupt, or not a model this library can feed.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">A GPU was requested, cannot be used, and CPU fallback is not allowed.</exception>
    public static OnnxModel Load(string modelPath, ModelRuntimeOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new ModelRuntimeOptions();
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<OnnxModel>();
        var path = Path.GetFullPath(modelPath);
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "the file does not exist");
        }

        using var activity = InferenceTelemetry.Source.StartActivity("model.load");
        OrtEnvironment.Get(loggerFactory);
        var sha256 = ModelDescriber.Sha256Of(path);
        var sidecarPath = options.SidecarPath ?? Path.ChangeExtension(path, ".json");
        if (options.SidecarPath is not null && !File.Exists(sidecarPath))
        {
            throw new ModelLoadException(path, $"the sidecar '{sidecarPath}' does not exist");
        }

        var sidecar = File.Exists(sidecarPath) ? ModelSidecar.Read(sidecarPath, path) : null;

        var (first, report) = ExecutionProviders.CreateSession(path, options, logger);
        var lanes = new List<SessionLane> { new(first) };
        try
        {
            var description = ModelDescriber.Describe(path, first, sidecar, sha256);
            if (options.WarmUp && !WarmUp(lanes[0], description, report, logger, out var failure))
            {
                // a GPU provider can load and still fail on the first run (cuDNN is loaded lazily); the CPU tells whether the model is at fault
                lanes[0].Dispose();
                lanes.Clear();
                var reason = $"{report.Provider} failed on its first run ({failure})";
                lanes.Add(new SessionLane(ExecutionProviders.FallBack(path, options, reason, logger)));
                report = report with { Provider = ExecutionProviderReport.CpuProvider, DeviceId = null, FallbackReason = reason };
                if (!WarmUp(lanes[0], description, report, logger, out failure))
                {
                    throw new ModelLoadException(path, $"the model fails on a zero input of its declared shape: {failure}");
                }
            }

            for (var i = 1; i < options.Sessions; i++)
            {
                var lane = new SessionLane(ExecutionProviders.CreateLike(path, options, report));
                lanes.Add(lane);
                if (options.WarmUp)
                {
                    WarmUp(lane, description, report, logger, out _);
                }
            }

            activity?.SetTag("model.name", description.Name);
            activity?.SetTag("model.provider", report.Provider);
            LogLoaded(logger, description.Name, description.Version, report.ToString(), options.Sessions);
            return new OnnxModel(path, description, report, new SessionPool(lanes), options, logger);
        }
        catch
        {
            foreach (var lane in lanes)
            {
                lane.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs a single-input model once.</summary>
    /// <param name="input">The input tensor (its shape must fit the model's input).</param>
    /// <param name="cancellationToken">Cancels the wait for a session and the run itself.</param>
    /// <returns>The outputs; dispose them.</returns>
    /// <exception cref="ModelInputMismatchException">The tensor does not fit the model's input.</exception>
    public Task<ModelOutputs> RunAsync(InferenceTensor input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return RunWithInputsAsync([input], cancellationToken);
    }

    /// <summary>Runs the model once with one tensor per input, in the model's input order.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="cancellationToken">Cancels the wait for a session and the run itself.</param>
    /// <returns>The outputs; dispose them.</returns>
    /// <exception cref="ModelInputMismatchException">A tensor does not fit its input.</exception>
    public async Task<ModelOutputs> RunWithInputsAsync(IReadOnlyList<InferenceTensor> inputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        using var lease = await _pool.RentAsync(cancellationToken).ConfigureAwait(false);
        using var activity = InferenceTelemetry.Source.StartActivity("model.run");
        var started = Stopwatch.GetTimestamp();
        var outputs = BoundRun.Execute(lease.Lane, Description, inputs, cancellationToken);
        InferenceTelemetry.Runs.Add(1, new KeyValuePair<string, object?>("provider", ExecutionProvider.Provider));
        InferenceTelemetry.RunSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("provider", ExecutionProvider.Provider));
        return outputs;
    }

    /// <summary>
    /// Runs a single-input model over many items: when the model's batch dimension is free, items are stacked along it
    /// up to <see cref="ModelRuntimeOptions.MaxBatchSize"/> per run and the outputs split back; batches run on as many
    /// sessions as the pool has.
    /// </summary>
    /// <param name="items">The items, each with its own batch dimension (usually 1).</param>
    /// <param name="cancellationToken">Cancels the remaining runs.</param>
    /// <returns>The outputs of each item, in item order; dispose them.</returns>
    public async Task<IReadOnlyList<ModelOutputs>> RunBatchAsync(IReadOnlyList<InferenceTensor> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var input = Description.Inputs[0];
        foreach (var item in items)
        {
            BoundRun.Check(input, item);
        }

        var groups = Batching.Plan(items, input.HasFreeBatch ? _options.MaxBatchSize : 1);
        var results = new ModelOutputs[items.Count];
        try
        {
            await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = _pool.Count, CancellationToken = cancellationToken }, async (group, token) =>
            {
                if (group.Count == 1)
                {
                    results[group.Start] = await RunAsync(items[group.Start], token).ConfigureAwait(false);
                    return;
                }

                using var stacked = Batching.Stack(items, group);
                using var outputs = await RunAsync(stacked, token).ConfigureAwait(false);
                Batching.Split(outputs, items, group, results);
            }).ConfigureAwait(false);
            return results;
        }
        catch
        {
            foreach (var result in results)
            {
                result?.Dispose();
            }

            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _pool.Dispose();

    private static bool WarmUp(SessionLane lane, ModelDescription description, ExecutionProviderReport report, ILogger logger, out string failure)
    {
        failure = string.Empty;
        var inputs = new List<InferenceTensor>();
        try
        {
            foreach (var input in description.Inputs)
            {
                if (WarmUpShape(input, description.Preprocessing) is not { } shape)
                {
                    LogNoWarmUp(logger, description.Name, input.ToString());
                    return true;
                }

                inputs.Add(InferenceTensor.Create(shape));
            }

            BoundRun.Execute(lane, description, inputs, CancellationToken.None).Dispose();
            return true;
        }
        catch (InferenceException e) when (e.InnerException is OnnxRuntimeException)
        {
            failure = ExecutionProviders.FirstLine(e.InnerException.Message);
            LogWarmUpFailed(logger, description.Name, report.Provider, failure);
            return false;
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    /// <summary>Batch 1, the declared channels, the spatial size from the graph or the sidecar; null when a size is unknown.</summary>
    private static long[]? WarmUpShape(Runtime.TensorDescription input, ModelPreprocessing preprocessing)
    {
        var shape = new long[input.Rank];
        for (var d = 0; d < shape.Length; d++)
        {
            shape[d] = input.Dimensions[d] > 0 ? input.Dimensions[d]
                : d == 0 || d == 1 ? 1
                : preprocessing.Size is { } size && size.Count == shape.Length - 2 ? size[d - 2]
                : -1;
            if (shape[d] < 0)
            {
                return null;
            }
        }

        return shape;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name} {Version} loaded on {Provider} with {Sessions} session(s)")]
    private static partial void LogLoaded(ILogger logger, string name, string version, string provider, int sessions);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Model {Name}: no warm-up, input {Input} has free spatial dimensions and no sidecar size")]
    private static partial void LogNoWarmUp(ILogger logger, string name, string input);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Name}: warm-up on {Provider} failed: {Failure}")]
    private static partial void LogWarmUpFailed(ILogger logger, string name, string provider, string failure);
}
