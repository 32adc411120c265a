using ImagingRepo.Dicom;
using ImagingRepo.Dicom.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Inference.Selection;

/// <summary>
/// Finds the series of a mounted dataset or a plain folder. A dataset (a folder with <c>index.json</c>) is walked as its
/// index says, one series per listed series folder, in index order, with the index's tags; a plain folder is walked
/// recursively and its DICOM files grouped by Series Instance UID. Only headers are read (up to Pixel Data).
/// </summary>
public sealed partial class SeriesScanner
{
    /// <summary>The dataset index file name.</summary>
    public const string IndexFileName = "index.json";

    private static readonly DicomReadOptions HeaderOnly = new() { StopAtTag = DicomTags.PixelData };
    private readonly ILogger _logger;

    /// <summary>Creates a scanner.</summary>
    /// <param name="logger">Logging (skipped files and missing series folders); none when null.</param>
    public SeriesScanner(ILogger<SeriesScanner>? logger = null) => _logger = logger ?? NullLogger<SeriesScanner>.Instance;

    /// <summary>Finds the series under a folder.</summary>
    /// <param name="folder">A dataset folder (with <c>index.json</c>) or any folder of DICOM files.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The series, in index order for a dataset, else ordered by folder and Series Instance UID.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public async Task<IReadOnlyList<SeriesCandidate>> ScanAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"no folder '{folder}'");
        }

        var index = Path.Combine(folder, IndexFileName);
        return File.Exists(index)
            ? await ScanDatasetAsync(folder, index, cancellationToken).ConfigureAwait(false)
            : ScanPlainFolder(folder, cancellationToken);
    }

    private async Task<IReadOnlyList<SeriesCandidate>> ScanDatasetAsync(string folder, string index, CancellationToken cancellationToken)
    {
        var studies = await DatasetIndexStudy.ReadAsync(index, cancellationToken).ConfigureAwait(false);
        var candidates = new List<SeriesCandidate>();
        var root = Path.GetFullPath(folder);
        foreach (var study in studies)
        {
            foreach (var series in study.Series ?? [])
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (study.Path is null || series.FolderName is null)
                {
                    continue;
                }

                var seriesFolder = Path.GetFullPath(Path.Combine(root, study.Path, series.FolderName));
                if (!seriesFolder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new InferenceException($"{IndexFileName} lists a series outside the dataset: {study.Path}/{series.FolderName}");
                }

                if (!Directory.Exists(seriesFolder))
                {
                    LogMissingSeries(_logger, study.StudyId ?? "?", series.FolderName);
                    continue;
                }

                var files = Directory.EnumerateFiles(seriesFolder).Order(StringComparer.Ordinal).ToList();
                if (FirstHeader(files) is not { } first)
                {
                    LogEmptySeries(_logger, study.StudyId ?? "?", series.FolderName);
                    continue;
                }

                candidates.Add(new SeriesCandidate(seriesFolder, files, first)
                {
                    IndexTags = series.Tags ?? [],
                    SubjectName = study.SubjectName,
                    StudyId = study.StudyId,
                });
            }
        }

        return candidates;
    }

    private List<SeriesCandidate> ScanPlainFolder(string folder, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<(string Folder, string Series), (List<string> Files, DicomDataset First)>();
        var order = new List<(string Folder, string Series)>();
        foreach (var file in Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 }).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryReadHeader(file) is not { } header)
            {
                continue;
            }

            var key = (Path.GetDirectoryName(file)!, header.GetString(DicomTags.SeriesInstanceUID) ?? string.Empty);
            if (groups.TryGetValue(key, out var group))
            {
                group.Files.Add(file);
            }
            else
            {
                groups[key] = ([file], header);
                order.Add(key);
            }
        }

        return [.. order.Select(key => new SeriesCandidate(key.Folder, groups[key].Files, groups[key].First))];
    }

    private DicomDataset? FirstHeader(List<string> files)
    {
        foreach (var file in files)
        {
            if (TryReadHeader(file) is { } header)
            {
                return header;
            }
        }

        return null;
    }

    private DicomDataset? TryReadHeader(string file)
    {
        try
        {
            var dicom = DicomFile.Open(file, HeaderOnly);
            // a file without a Part 10 header and without a SOP instance is not taken for an image
            return dicom.HadFileMetaInformation || dicom.Dataset.Contains(DicomTags.SOPInstanceUID) ? dicom.Dataset : null;
        }
        catch (DicomException)
        {
            LogNotDicom(_logger, Path.GetFileName(file));
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Study {StudyId}: series folder {Folder} listed in index.json is missing; skipped")]
    private static partial void LogMissingSeries(ILogger logger, string studyId, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Study {StudyId}: series folder {Folder} holds no DICOM file; skipped")]
    private static partial void LogEmptySeries(ILogger logger, string studyId, string folder);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Skipped {File}: not DICOM")]
    private static partial void LogNotDicom(ILogger logger, string file);
}
