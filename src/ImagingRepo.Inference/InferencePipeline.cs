using System.Diagnostics;
using System.Text.Json;
using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Runtime;
using ImagingRepo.Inference.Selection;
using ImagingRepo.Inference.Volumes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Inference;

/// <summary>
/// Series to results: assemble each selected series into a volume, prepare it as the model expects, run the model
/// (sliding windows where needed), map the output back onto the source and write a DICOM Segmentation (segmentation
/// models) or a Structured Report (classifiers) beside a JSON summary. A series that fails leaves nothing behind.
/// The label buffer of the last segmentation (one byte per source voxel) is kept for the next series of the same size.
/// </summary>
public sealed partial class InferencePipeline
{
    private readonly OnnxModel _model;
    private readonly InferencePipelineOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>The label buffer of the last segmentation, kept for the next series (taken with an exchange, so concurrent runs never share it).</summary>
    private byte[]? _maskBuffer;

    /// <summary>Creates a pipeline over a loaded model.</summary>
    /// <param name="model">The model.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="timeProvider">The clock for content dates; the system clock when null.</param>
    public InferencePipeline(OnnxModel model, InferencePipelineOptions? options = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? new InferencePipelineOptions();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<InferencePipeline>();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs the model over series and writes their results and the summary into a folder.</summary>
    /// <param name="series">The selected series.</param>
    /// <param name="outputFolder">Where results go (created when missing).</param>
    /// <param name="cancellationToken">Cancels the run (results already written stay; the summary is not written).</param>
    /// <returns>The summary, as written to <see cref="InferenceSummary.FileName"/>.</returns>
    public async Task<InferenceSummary> RunAsync(IReadOnlyList<SeriesCandidate> series, string outputFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(outputFolder);
        Directory.CreateDirectory(outputFolder);
        var createdAt = _time.GetUtcNow();
        var results = new List<SeriesResult>();
        for (var i = 0; i < series.Count; i++)
        {
            LogSeriesStart(_logger, i + 1, series.Count, series[i].Files.Count);
            try
            {
                results.Add(await RunSeriesAsync(series[i], outputFolder, createdAt, cancellationToken).ConfigureAwait(false));
            }
            catch (InferenceException e) when (_options.ContinueAfterSeriesFailure && e is not (ExecutionProviderUnavailableException or ModelLoadException))
            {
                LogSeriesFailed(_logger, i + 1, e.Message);
                results.Add(new SeriesResult { SeriesInstanceUid = series[i].SeriesInstanceUid, Study = series[i].StudyId, Status = "failed", Error = e.Message });
            }
        }

        var summary = new InferenceSummary
        {
            Model = _model.Description.Name,
            ModelVersion = _model.Description.Version,
            Manufacturer = _model.Description.Manufacturer,
            ModelSha256 = _model.Description.Sha256,
            ExecutionProvider = _model.ExecutionProvider.ToString(),
            CreatedAt = createdAt,
            Series = results,
        };
        await WriteSummaryAsync(summary, Path.Combine(outputFolder, InferenceSummary.FileName), cancellationToken).ConfigureAwait(false);
        return summary;
    }

    /// <summary>Runs the model over one series and writes its result object (no summary).</summary>
    /// <param name="series">The series.</param>
    /// <param name="outputFolder">Where the result goes.</param>
    /// <param name="createdAt">The results' creation time.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="VolumeAssemblyException">The series is not a regular stack of decodable slices.</exception>
    public async Task<SeriesResult> RunSeriesAsync(SeriesCandidate series, string outputFolder, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var activity = InferenceTelemetry.Source.StartActivity("series.infer");
        var started = Stopwatch.GetTimestamp();
        var assembler = new VolumeAssembler(_options.Assembly, _loggerFactory.CreateLogger<VolumeAssembler>());
        var description = _model.Description;

        // decoded and resized in-plane slice by slice: the full-resolution volume is never held
        using var volume = await assembler.AssemblePreparedAsync(series, description.Preprocessing, cancellationToken).ConfigureAwait(false);
        var decodeSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        started = Stopwatch.GetTimestamp();
        var context = new ResultContext(description, _model.ExecutionProvider, createdAt) { SeriesNumber = _options.SeriesNumber };
        var prepared = volume.Prepared;
        SeriesResult result;
        if (description.Task == ModelTask.Classification)
        {
            var scores = await ClassifyAsync(prepared, cancellationToken).ConfigureAwait(false);
            var inferenceSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var (path, uid) = ClassificationReportWriter.Write(outputFolder, volume.Source, scores, context);
            result = Result(series, volume, decodeSeconds, inferenceSeconds, new ResultFile("SR", Path.GetFileName(path), uid)) with
            {
                Scores = [.. scores.Select(s => new ScoreSummary(s.Label.Value, s.Label.Name, s.Score))],
            };
        }
        else
        {
            using var output = await SlidingWindow.RunAsync(_model, prepared, cancellationToken).ConfigureAwait(false);
            // a job's series are usually the same size: the label buffer of the last one is reused, not allocated and faulted in again
            var mask = OutputMapper.ToSourceMask(output, volume, description, Interlocked.Exchange(ref _maskBuffer, null));
            var inferenceSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            // the summary's voxel counts are taken on another core while the (serial) SEG writer runs
            var counting = Task.Run(() => SegmentationWriter.Segments(mask, description).Select(s => (s.LabelValue, s.Label.Name, Count: mask.Count(s.LabelValue))).ToList(), CancellationToken.None);
            string path, uid;
            try
            {
                (path, uid) = SegmentationWriter.Write(outputFolder, volume.Source, mask, context, _options.Segmentation);
            }
            finally
            {
                await counting.ConfigureAwait(false);
            }

            var voxelMl = volume.Source.RowSpacing * volume.Source.ColumnSpacing * volume.Source.SliceSpacing / 1000;
            result = Result(series, volume, decodeSeconds, inferenceSeconds, new ResultFile("SEG", Path.GetFileName(path), uid)) with
            {
                Segments = [.. (await counting.ConfigureAwait(false))
                    .Where(s => s.Count > 0)
                    .Select(s => new SegmentSummary(s.LabelValue, s.Name, s.Count, Math.Round(s.Count * voxelMl, 3)))],
            };
            _maskBuffer = mask.Labels;
        }

        LogSeriesDone(_logger, result.Slices, result.Outputs[0].Kind, decodeSeconds, result.InferenceSeconds);
        return result;
    }

    private async Task<IReadOnlyList<ClassScore>> ClassifyAsync(Volume prepared, CancellationToken cancellationToken)
    {
        var g = prepared.Geometry;
        var items = new List<InferenceTensor>();
        try
        {
            if (_model.Description.Preprocessing.Layout == TensorLayout.Ncdhw)
            {
                items.Add(InferenceTensor.FromValues(prepared.Voxels, 1, 1, g.SizeZ, g.SizeY, g.SizeX));
            }
            else
            {
                for (var k = 0; k < g.SizeZ; k++)
                {
                    items.Add(InferenceTensor.FromValues(prepared.Slice(k), 1, 1, g.SizeY, g.SizeX));
                }
            }

            var outputs = await _model.RunBatchAsync(items, cancellationToken).ConfigureAwait(false);
            try
            {
                return OutputMapper.ToClassScores([.. outputs.Select(o => o[0])], _model.Description);
            }
            finally
            {
                foreach (var output in outputs)
                {
                    output.Dispose();
                }
            }
        }
        finally
        {
            items.ForEach(i => i.Dispose());
        }
    }

    private static SeriesResult Result(SeriesCandidate series, PreparedSeries volume, double decodeSeconds, double inferenceSeconds, ResultFile file) => new()
    {
        SeriesInstanceUid = volume.Source.SeriesInstanceUid,
        Study = series.StudyId ?? volume.Source.StudyInstanceUid,
        Slices = volume.Source.Slices.Count,
        Status = "done",
        Warnings = volume.Warnings,
        Outputs = [file],
        DecodeSeconds = Math.Round(decodeSeconds, 3),
        InferenceSeconds = Math.Round(inferenceSeconds, 3),
    };

    /// <summary>Writes the summary beside the results: a temporary file, then a rename over any previous summary.</summary>
    private static async Task WriteSummaryAsync(InferenceSummary summary, string path, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, summary, SummaryJsonContext.Default.InferenceSummary, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
            InferenceTelemetry.OutputsWritten.Add(1, new KeyValuePair<string, object?>("kind", "json"));
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Series {Index} of {Count}: {Files} files")]
    private static partial void LogSeriesStart(ILogger logger, int index, int count, int files);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slices} slices -> {Kind} (decode {DecodeSeconds:0.00} s, model {InferenceSeconds:0.00} s)")]
    private static partial void LogSeriesDone(ILogger logger, int slices, string kind, double decodeSeconds, double inferenceSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series {Index} failed, nothing written for it: {Reason}")]
    private static partial void LogSeriesFailed(ILogger logger, int index, string reason);
}
