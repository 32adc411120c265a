using System.CommandLine;
using System.Globalization;
using ImagingRepo.Inference;
using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using ImagingRepo.Inference.Volumes;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// <c>imagingrepo infer MODEL DATASET_DIR --out DIR</c>: runs an ONNX model over the selected series of a dataset and
/// writes DICOM SEG or SR results and a JSON summary (the logic is <see cref="InferenceRunner"/>'s).
/// </summary>
internal static class InferCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "The .onnx model (its sidecar MODEL.json beside it is read when present)." };
        var dataset = new Argument<string>("DATASET_DIR") { Description = "A dataset folder (with index.json) or any folder of DICOM files." };
        var output = new Option<string>("--out") { Description = "Where results and inference-summary.json go.", Required = true };
        var select = new Option<string?>("--select") { Description = "A series selector (JSON file); every series when absent." };
        var device = new Option<string>("--device") { Description = "auto (CUDA when usable, else CPU), cuda, tensorrt or cpu.", DefaultValueFactory = _ => "auto" };
        var fallback = new Option<bool>("--allow-cpu-fallback") { Description = "With --device cuda or tensorrt: run on the CPU (and say so) instead of failing when the GPU cannot be used." };
        var segmentation = new Option<string>("--segmentation") { Description = "binary (one 1-bit frame per segment and slice) or labelmap.", DefaultValueFactory = _ => "binary" };
        var allowGaps = new Option<bool>("--allow-gaps") { Description = "Interpolate over missing slices (a warning) instead of failing the series." };
        var sessions = new Option<int>("--sessions") { Description = "Model sessions run at once.", DefaultValueFactory = _ => 1 };
        var verbose = new Option<bool>("--verbose") { Description = "Log progress to standard error." };

        var command = new Command("infer", "Run an ONNX model over a dataset's series: DICOM SEG or SR results with the model's provenance, and a JSON summary.")
        {
            model, dataset, output, select, device, fallback, segmentation, allowGaps, sessions, verbose,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(model)!,
            parseResult.GetValue(dataset)!,
            parseResult.GetValue(output)!,
            parseResult.GetValue(select),
            parseResult.GetValue(device)!,
            parseResult.GetValue(fallback),
            parseResult.GetValue(segmentation)!,
            parseResult.GetValue(allowGaps),
            parseResult.GetValue(sessions),
            parseResult.GetValue(verbose),
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string modelPath, string datasetFolder, string outputFolder, string? selectorPath, string deviceName,
        bool allowFallback, string segmentationType, bool allowGaps, int sessions, bool verbose, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!TryParseDevice(deviceName, out var device))
        {
            return Fail(stderr, $"unknown --device '{deviceName}'; use auto, cuda, tensorrt or cpu.");
        }

        if (segmentationType is not ("binary" or "labelmap"))
        {
            return Fail(stderr, $"unknown --segmentation '{segmentationType}'; use binary or labelmap.");
        }

        if (sessions < 1)
        {
            return Fail(stderr, "--sessions must be at least 1.");
        }

        using var loggerFactory = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
            // ONNX Runtime's own messages repeat what the errors below say, in its words: shown with --verbose only
            builder.AddFilter("ImagingRepo.Inference.OnnxRuntime", verbose ? LogLevel.Warning : LogLevel.None);
            builder.AddProvider(new StderrLoggerProvider(stderr));
        });
        InferenceRunResult result;
        try
        {
            var selector = selectorPath is null ? null : await SeriesSelector.LoadAsync(selectorPath, cancellationToken).ConfigureAwait(false);
            var request = new InferenceRequest
            {
                ModelPath = modelPath,
                DatasetFolder = datasetFolder,
                OutputFolder = outputFolder,
                Selector = selector,
                Runtime = new ModelRuntimeOptions { Device = device, AllowCpuFallback = allowFallback, Sessions = sessions },
                Pipeline = new InferencePipelineOptions
                {
                    Assembly = new VolumeAssemblyOptions { GapsAreErrors = !allowGaps },
                    Segmentation = new SegmentationWriteOptions { Type = segmentationType == "labelmap" ? SegmentationType.Labelmap : SegmentationType.Binary },
                },
            };
            result = await new InferenceRunner(loggerFactory).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ModelLoadException or ExecutionProviderUnavailableException or SelectionRuleException or DirectoryNotFoundException or FileNotFoundException or InferenceException)
        {
            return Fail(stderr, e.Message);
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled: results written so far are complete; the summary was not written.").ConfigureAwait(false);
            return 130;
        }

        await stdout.WriteLineAsync($"model: {result.Model.Name} {result.Model.Version} ({result.Model.Manufacturer}) sha256:{result.Model.Sha256}").ConfigureAwait(false);
        await stdout.WriteLineAsync($"execution provider: {result.Provider}").ConfigureAwait(false);
        foreach (var series in result.Summary.Series)
        {
            var line = series.Status == "done"
                ? $"{series.SeriesInstanceUid}: {series.Slices} slices -> {string.Join(", ", series.Outputs.Select(o => $"{o.Kind} {o.File}"))}{Describe(series)}"
                : $"{series.SeriesInstanceUid}: failed: {series.Error}";
            await stdout.WriteLineAsync(line).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"summary: {Path.Combine(outputFolder, InferenceSummary.FileName)}").ConfigureAwait(false);
        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"inferred {result.SeriesSelected - result.SeriesFailed} of {result.SeriesSelected} selected series ({result.SeriesFound} found, {result.SeriesFailed} failed) on {result.Provider.Provider} in {result.Elapsed.TotalSeconds:0.00} s")).ConfigureAwait(false);
        return result.SeriesSelected == 0 ? 3 : result.SeriesFailed > 0 ? 1 : 0;
    }

    private static string Describe(SeriesResult series) =>
        series.Segments.Count > 0 ? " (" + string.Join(", ", series.Segments.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.VolumeMl:0.###} ml"))) + ")"
        : series.Scores.Count > 0 ? " (" + string.Join(", ", series.Scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Name} {s.Score:0.###}"))) + ")"
        : string.Empty;

    private static bool TryParseDevice(string name, out ExecutionDevice device)
    {
        device = name switch
        {
            "auto" => ExecutionDevice.Auto,
            "cpu" => ExecutionDevice.Cpu,
            "cuda" => ExecutionDevice.Cuda,
            "tensorrt" => ExecutionDevice.TensorRT,
            _ => (ExecutionDevice)(-1),
        };
        return Enum.IsDefined(device);
    }

    /// <summary>Reports a refused argument, model or selector and returns its exit code, 2.</summary>
    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("infer: " + message);
        return 2;
    }

    /// <summary>Log lines to standard error, one per event, without a logging package the tool does not otherwise need.</summary>
    private sealed class StderrLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(writer, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

        public void Dispose()
        {
        }

        private sealed class Logger(TextWriter writer, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (writer)
                {
                    writer.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
