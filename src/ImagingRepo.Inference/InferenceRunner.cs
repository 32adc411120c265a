using System.Diagnostics;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Inference;

/// <summary>
/// The whole in-situ job in one call, as <c>imagingrepo infer</c> and the in-cluster sample run it: load the model on
/// the requested device, find the series, select, run the pipeline, write results and the summary.
/// </summary>
public sealed partial class InferenceRunner
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a runner.</summary>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for the results' dates; the system clock when null.</param>
    public InferenceRunner(ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _logger = _loggerFactory.CreateLogger<InferenceRunner>();
    }

    /// <summary>Runs the request.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was done.</returns>
    /// <exception cref="ModelLoadException">The model or its sidecar cannot be loaded.</exception>
    /// <exception cref="ExecutionProviderUnavailableException">The GPU asked for cannot be used and CPU fallback is not allowed.</exception>
    /// <exception cref="DirectoryNotFoundException">The dataset folder does not exist.</exception>
    public async Task<InferenceRunResult> RunAsync(InferenceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using var activity = InferenceTelemetry.Source.StartActivity("inference.run");
        var candidates = await new SeriesScanner(_loggerFactory.CreateLogger<SeriesScanner>()).ScanAsync(request.DatasetFolder, cancellationToken).ConfigureAwait(false);
        var selected = (request.Selector ?? SeriesSelector.Everything).Select(candidates);
        LogSelected(_logger, selected.Count, candidates.Count);

        using var model = OnnxModel.Load(request.ModelPath, request.Runtime, _loggerFactory);
        LogProvider(_logger, model.ExecutionProvider.ToString());
        activity?.SetTag("inference.provider", model.ExecutionProvider.Provider);
        var pipeline = new InferencePipeline(model, request.Pipeline, _loggerFactory, _time);
        var summary = await pipeline.RunAsync(selected, request.OutputFolder, cancellationToken).ConfigureAwait(false);
        return new InferenceRunResult(summary, model.Description, model.ExecutionProvider, candidates.Count, Stopwatch.GetElapsedTime(started));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Selected {Selected} of {Found} series")]
    private static partial void LogSelected(ILogger logger, int selected, int found);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution provider: {Provider}")]
    private static partial void LogProvider(ILogger logger, string provider);
}
