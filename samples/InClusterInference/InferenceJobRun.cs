using System.Globalization;
using ImagingRepo.Inference;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Logging;

namespace InClusterInference;

/// <summary>
/// One run of the job: load the model on the GPU (or fail, unless CPU fallback is allowed), record USE_DATASETS and
/// USE_MODELS, then for each mounted dataset select its series, run the model and write DICOM SEG or SR and a
/// summary into the persistent home; last, anchor the traces. Progress goes to the log (<c>kubectl logs</c>).
/// </summary>
internal sealed partial class InferenceJobRun(JobSettings settings, string toolVersion, ILoggerFactory loggerFactory)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<InferenceJobRun>();

    /// <summary>Runs the job; 0 when every selected series has a result, 1 when some failed, 3 when none was selected.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var selector = settings.SelectorPath is null ? null : await SeriesSelector.LoadAsync(settings.SelectorPath, cancellationToken);
        var missing = settings.DatasetIds.Where(id => !Directory.Exists(settings.DatasetFolder(id))).ToList();
        if (missing.Count > 0)
        {
            throw new DirectoryNotFoundException($"dataset(s) not mounted under {Path.Combine(settings.Home, settings.Conventions.DatasetsFolder)}: {string.Join(", ", missing)}");
        }

        // a run's results never overwrite an earlier run's
        var runFolder = Path.Combine(settings.PersistentHome, "inference", string.Create(CultureInfo.InvariantCulture, $"{TimeProvider.System.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{Guid.NewGuid():N}")[..25]);

        // the model is loaded once, before any data is read or any use recorded, so that a wrong device or a corrupt
        // file fails fast
        LogStart(_logger, settings.DatasetIds.Count, settings.ModelPath, settings.Device);
        using var model = OnnxModel.Load(settings.ModelPath, new ModelRuntimeOptions { Device = settings.Device, AllowCpuFallback = settings.AllowCpuFallback }, loggerFactory);
        LogModel(_logger, model.Description.Name, model.Description.Version, model.ExecutionProvider.ToString());

        await using var traces = await UsageTraces.OpenAsync(settings, new TraceTool(JobManifest.ToolName, toolVersion), loggerFactory, cancellationToken);
        List<Guid> traceIds =
        [
            await traces.RecordDatasetsUseAsync(cancellationToken),
            await traces.RecordModelUseAsync(settings.ModelId ?? "sha256:" + model.Description.Sha256, cancellationToken),
        ];

        var scanner = new SeriesScanner(loggerFactory.CreateLogger<SeriesScanner>());
        var pipeline = new InferencePipeline(model, new InferencePipelineOptions(), loggerFactory);
        int selected = 0, failed = 0;
        foreach (var datasetId in settings.DatasetIds)
        {
            var started = TimeProvider.System.GetTimestamp();
            var found = await scanner.ScanAsync(settings.DatasetFolder(datasetId), cancellationToken);
            var series = (selector ?? SeriesSelector.Everything).Select(found);
            var output = Path.Combine(runFolder, datasetId);
            var summary = await pipeline.RunAsync(series, output, cancellationToken);
            var failedHere = summary.Series.Count(s => s.Status != "done");
            selected += series.Count;
            failed += failedHere;
            LogDataset(_logger, datasetId, series.Count - failedHere, series.Count, found.Count,
                TimeProvider.System.GetElapsedTime(started).TotalSeconds, Path.Combine(output, InferenceSummary.FileName));
        }

        foreach (var (id, status) in await traces.AnchorAsync(traceIds, cancellationToken))
        {
            LogTrace(_logger, id, status);
        }

        LogDone(_logger, selected - failed, selected, failed, runFolder);
        return selected == 0 ? 3 : failed > 0 ? 1 : 0;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Using {Datasets} dataset(s) with model {Model} on {Device}")]
    private static partial void LogStart(ILogger logger, int datasets, string model, ExecutionDevice device);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Name} {Version} loaded on {Provider}")]
    private static partial void LogModel(ILogger logger, string name, string version, string provider);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset {DatasetId}: {Done} of {Selected} selected series ({Found} found) in {Seconds:0.0} s; summary {Summary}")]
    private static partial void LogDataset(ILogger logger, string datasetId, int done, int selected, int found, double seconds, string summary);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trace {TraceId}: {Status}")]
    private static partial void LogTrace(ILogger logger, Guid traceId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Done: {Done} of {Selected} selected series, {Failed} failed; results in {Folder}")]
    private static partial void LogDone(ILogger logger, int done, int selected, int failed, string folder);
}
