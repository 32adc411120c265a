using System.Globalization;
using ImagingRepo.Client.Storage;
using ImagingRepo.Dicom.Deidentification.Engine;
using ImagingRepo.Dicom.Deidentification.Pseudonymization;
using ImagingRepo.Dicom.Deidentification.Run;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImagingRepo.Client.Upload;

/// <summary>
/// The provider pipeline's de-identify-and-upload stage: the inputs are de-identified with the library's
/// <see cref="DeidentificationRun"/> in batches, and each batch is uploaded with <see cref="DataLakeFolderUploader"/>
/// (SHA-256 in object metadata) while the next one is de-identified, so the CPU-bound and the network-bound stage
/// overlap. A batch's staged outputs are deleted once stored, so staging space and memory stay bounded by two batches
/// whatever the size of the tree. Not thread-safe: one run at a time per instance.
/// </summary>
public sealed partial class DeidentifyingUploader
{
    private readonly IDataLakeStorage _storage;
    private readonly DeidentifyingUploadOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the uploader.</summary>
    /// <param name="storage">The lake.</param>
    /// <param name="options">Batch, staging, policy and concurrency settings, or null for the defaults.</param>
    /// <param name="logger">The log, or null for none.</param>
    public DeidentifyingUploader(IDataLakeStorage storage, DeidentifyingUploadOptions? options = null, ILogger<DeidentifyingUploader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _options = options ?? new DeidentifyingUploadOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchFiles, 1, nameof(options));
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>De-identifies the files of <paramref name="inputs"/> (files or folders) and uploads the outputs under <paramref name="keyPrefix"/>.</summary>
    /// <param name="inputs">Files and folders to read (folders recursively).</param>
    /// <param name="keyPrefix">The key prefix of the outputs, e.g. <c>site-7/</c>; empty for the lake's root.</param>
    /// <param name="key">The de-identification key (pseudonyms, UIDs and date shifts derive from it).</param>
    /// <param name="progress">Told after each stored batch, or null.</param>
    /// <param name="cancellationToken">Stops after the current files; stored outputs stay, and a rerun (with <see cref="DeidentifyingUploadOptions.SkipStored"/>) skips them.</param>
    /// <returns>What each stage did, with every failure and its reason.</returns>
    public async Task<DeidentifyingUploadReport> UploadAsync(IReadOnlyList<string> inputs, string keyPrefix, DeidentificationKey key,
        IProgress<DeidentifyingUploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(keyPrefix);
        ArgumentNullException.ThrowIfNull(key);
        var files = Expand(inputs);
        var staging = Path.GetFullPath(_options.StagingFolder ?? Path.Combine(Path.GetTempPath(), "imagingrepo-upload-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(staging);
        var uploader = new DataLakeFolderUploader(_storage, new FolderUploadOptions { MaxConcurrency = _options.MaxConcurrency, SkipStored = _options.SkipStored });
        var (deidentified, quarantined, ignored) = (0, 0, 0);
        var failures = new List<DeidentificationResult>();
        var uploads = new List<FolderUploadItem>(files.Count);
        var (filesDone, bytesUploaded) = (0, 0L);
        Task<FolderUploadReport>? uploading = null;
        var uploadingFiles = 0;
        try
        {
            foreach (var (batch, index) in files.Chunk(_options.BatchFiles).Select((b, i) => (b, i)))
            {
                var output = Path.Combine(staging, index.ToString("D6", CultureInfo.InvariantCulture));
                var summary = await new DeidentificationRun(new DeidentificationRunOptions
                {
                    Inputs = batch,
                    OutputRoot = output,
                    QuarantineRoot = output + "-quarantine",
                    ReceiptsPath = output + ".receipts.jsonl",
                    Key = key,
                    Policy = _options.Policy,
                    MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism,
                    Resume = false,
                }).RunAsync(null, cancellationToken).ConfigureAwait(false);
                (deidentified, quarantined, ignored) = (deidentified + summary.Deidentified, quarantined + summary.Quarantined, ignored + summary.Ignored);
                failures.AddRange(summary.Failures);

                if (uploading is not null) Collect(await uploading.ConfigureAwait(false));
                uploading = UploadBatchAsync(uploader, output, keyPrefix, cancellationToken);
                uploadingFiles = batch.Length;
            }

            if (uploading is not null) Collect(await uploading.ConfigureAwait(false));
        }
        finally
        {
            // Outputs are only ever derived data; what is not stored is made again by a rerun.
            if (uploading is { IsCompleted: false })
            {
                try
                {
                    await uploading.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }

            if (_options.StagingFolder is null) Directory.Delete(staging, recursive: true);
        }

        var report = new DeidentifyingUploadReport(deidentified, quarantined, ignored, failures, uploads);
        Log.Finished(_logger, files.Count, report.Uploaded, report.AlreadyStored, quarantined, failures.Count + report.UploadFailures.Count);
        return report;

        void Collect(FolderUploadReport batch)
        {
            uploads.AddRange(batch.Items);
            filesDone += uploadingFiles;
            bytesUploaded += batch.BytesUploaded;
            progress?.Report(new DeidentifyingUploadProgress(filesDone, files.Count, bytesUploaded));
        }
    }

    private static async Task<FolderUploadReport> UploadBatchAsync(DataLakeFolderUploader uploader, string output, string keyPrefix, CancellationToken cancellationToken)
    {
        var report = Directory.Exists(output)
            ? await uploader.UploadAsync(output, keyPrefix, null, cancellationToken).ConfigureAwait(false)
            : new FolderUploadReport([]);
        foreach (var staged in new[] { output, output + "-quarantine" })
        {
            if (Directory.Exists(staged)) Directory.Delete(staged, recursive: true);
        }

        File.Delete(output + ".receipts.jsonl");
        return report;
    }

    private static List<string> Expand(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden })
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(input))
            {
                files.Add(input);
            }
            else
            {
                throw new FileNotFoundException($"upload input not found: {input}", input);
            }
        }

        return files;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "De-identified and uploaded {Files} inputs: {Uploaded} sent, {AlreadyStored} already stored, {Quarantined} quarantined, {Failed} failed")]
        public static partial void Finished(ILogger logger, int files, int uploaded, int alreadyStored, int quarantined, int failed);
    }
}
