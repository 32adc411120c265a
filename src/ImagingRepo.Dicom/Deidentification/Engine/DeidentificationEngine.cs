using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Deidentification;

/// <summary>
/// De-identifies DICOM files under PS3.15 Annex E: the Basic Profile with the policy's options and overrides,
/// keyed pseudonyms, burned-in screening and an optional pixel mask, in one streaming pass per file (header
/// rewritten, pixel data copied chunk by chunk), written to a temporary name and renamed, with a receipt.
/// </summary>
/// <remarks>Thread-safe: de-identify many files in parallel with one engine.</remarks>
public sealed class DeidentificationEngine
{
    /// <summary>The <see cref="ActivitySource"/> and <see cref="Meter"/> name.</summary>
    public const string TelemetryName = "ImagingRepo.Dicom.Deidentification";

    private static readonly ActivitySource Activities = new(TelemetryName);
    private static readonly Meter Meter = new(TelemetryName);
    private static readonly Counter<long> Files = Meter.CreateCounter<long>("imagingrepo.deid.files", description: "Files processed, by status");

    private readonly ProfileRules _rules;
    private readonly InstanceDeidentifier _instance;
    private readonly TimeProvider _time;
    private readonly IReadOnlyList<string> _optionNames;
    private readonly IReadOnlyList<string> _codes;

    /// <summary>Creates an engine.</summary>
    /// <param name="key">The project's pseudonymization key.</param>
    /// <param name="policy">The project policy; the Basic Profile with defaults when null.</param>
    /// <param name="timeProvider">The clock for receipt timestamps; the system clock when null.</param>
    /// <exception cref="DeidentificationPolicyException">The policy is invalid.</exception>
    /// <exception cref="PlatformNotSupportedException">SHA3-256 (for receipts) is not available on this platform.</exception>
    public DeidentificationEngine(DeidentificationKey key, DeidentificationPolicy? policy = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!SHA3_256.IsSupported)
        {
            throw new PlatformNotSupportedException(
                "SHA3-256 is not available here (on Linux it needs OpenSSL 1.1.1 or later); receipts cannot be computed.");
        }

        Policy = policy ?? DeidentificationPolicy.Default;
        Policy.Validate();
        Key = key;
        Pseudonymizer = new Pseudonymizer(key, Policy.Pseudonyms);
        _rules = new ProfileRules(Policy);
        _instance = new InstanceDeidentifier(_rules, Pseudonymizer);
        _time = timeProvider ?? TimeProvider.System;
        _optionNames = DeidentificationOptionNames.ToNames(Policy.Options);
        _codes = [.. DeidentificationMethodCode.For(Policy.Options).Select(c => c.Value)];
    }

    /// <summary>The policy in force.</summary>
    public DeidentificationPolicy Policy { get; }

    /// <summary>The key in use.</summary>
    public DeidentificationKey Key { get; }

    /// <summary>The pseudonymizer (UIDs, patient pseudonyms, date offsets) under the key.</summary>
    public Pseudonymizer Pseudonymizer { get; }

    /// <summary>Where the honest broker's re-identification journal goes; none when null.</summary>
    public ReidentificationJournal? Journal { get; init; }

    /// <summary>
    /// De-identifies a dataset in memory (no file, no receipt): the same rules as <see cref="DeidentifyFile"/>.
    /// </summary>
    /// <param name="dataset">The dataset, changed in place.</param>
    public void DeidentifyDataset(DicomDataset dataset) => _instance.Apply(dataset);

    /// <summary>
    /// De-identifies one file into <paramref name="outputRoot"/> as <c>subject/study/series/instance.dcm</c>
    /// (pseudonymous Patient ID, Study, Series and SOP Instance UIDs), or into <paramref name="quarantineRoot"/>
    /// when its pixels may show identifying text. Never throws for a bad input: the result says why it failed,
    /// and nothing is written for it.
    /// </summary>
    /// <param name="sourcePath">The input file.</param>
    /// <param name="outputRoot">The output tree.</param>
    /// <param name="quarantineRoot">The quarantine tree; <c>outputRoot</c> + <c>-quarantine</c> when null.</param>
    /// <param name="cancellationToken">Cancels before the output is renamed into place.</param>
    /// <returns>The outcome, with the receipt when something was written.</returns>
    public DeidentificationResult DeidentifyFile(string sourcePath, string outputRoot, string? quarantineRoot = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(outputRoot);
        using var activity = Activities.StartActivity("deidentify-file");
        DeidentificationResult result;
        try
        {
            result = Run(sourcePath, outputRoot, quarantineRoot ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputRoot)) + "-quarantine", cancellationToken);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // one bad input must never stop a run: any failure becomes this file's result
        catch (Exception e)
#pragma warning restore CA1031
        {
            result = new DeidentificationResult(sourcePath, DeidentificationStatus.Failed, null, Describe(e), null);
        }

        Files.Add(1, new KeyValuePair<string, object?>("status", result.Status.ToString()));
        activity?.SetTag("status", result.Status.ToString());
        return result;
    }

    private DeidentificationResult Run(string sourcePath, string outputRoot, string quarantineRoot, CancellationToken cancellationToken)
    {
        var file = DicomFile.Open(sourcePath);
        foreach (var diagnostic in file.Diagnostics)
        {
            // the lenient reader works around many malformations, but a truncated input has lost data
            if (diagnostic.Kind == DicomDiagnosticKind.Truncated)
            {
                return Failed(sourcePath, "truncated input: " + diagnostic);
            }
        }

        var dataset = file.Dataset;
        var sopClass = dataset.GetString(new DicomTag(0x00080016))?.Trim('\0', ' ');
        var sopInstance = dataset.GetString(new DicomTag(0x00080018))?.Trim('\0', ' ');
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
        {
            return Failed(sourcePath, "not a composite instance: SOP Class UID (0008,0016) or SOP Instance UID (0008,0018) is missing");
        }

        // Pixel mask first: a masked instance is clean of burned-in text where the rule says it is.
        var (pixelsCleaned, maskProblem) = ApplyPixelMask(dataset);
        var risk = pixelsCleaned ? null : maskProblem ?? BurnedInScreen.Assess(dataset);
        if (risk is not null && (Policy.BurnedIn.Allow || ModalityAllowed(dataset)))
        {
            risk = null;
        }

        var originalStudy = dataset.GetString(new DicomTag(0x0020000D))?.Trim('\0', ' ');
        var report = _instance.Apply(dataset, pixelsCleaned);

        var newSop = dataset.GetString(new DicomTag(0x00080018))?.Trim('\0', ' ') ?? "";
        var study = dataset.GetString(new DicomTag(0x0020000D))?.Trim('\0', ' ');
        var series = dataset.GetString(new DicomTag(0x0020000E))?.Trim('\0', ' ');
        var subject = dataset.GetString(new DicomTag(ProfileRules.PatientId))?.Trim() ?? "";
        var relative = Path.Combine(SafeName(subject, "unknown-subject"), SafeName(study, "unknown-study"),
            SafeName(series, "unknown-series"), SafeName(newSop, "unknown-instance") + ".dcm");
        var root = risk is null ? outputRoot : quarantineRoot;
        var target = Path.Combine(root, relative);
        if (File.Exists(target))
        {
            return new DeidentificationResult(sourcePath, DeidentificationStatus.Skipped, target, null, null);
        }

        RewriteMeta(file, newSop);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp");
        byte[] hash;
        long length;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hashing = new HashingWriteStream(stream, HashAlgorithmName.SHA3_256))
            {
                file.WriteTo(hashing);
                hashing.Flush();
                hash = hashing.GetHash();
                length = hashing.BytesWritten;
            }

            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                File.Move(temp, target, overwrite: false);
            }
            catch (IOException) when (File.Exists(target))
            {
                // the same instance twice in the input (or a parallel run): the first one stands
                File.Delete(temp);
                return new DeidentificationResult(sourcePath, DeidentificationStatus.Skipped, target, null, null);
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        if (Journal is not null)
        {
            Journal.Record(report.PatientKey, subject, report.DateShiftDays, originalStudy, study);
        }

        var receipt = new DeidentificationReceipt
        {
            Options = _optionNames,
            MethodCodes = pixelsCleaned ? [.. DeidentificationMethodCode.For(Policy.Options, true).Select(c => c.Value)] : _codes,
            PolicyName = Policy.Name,
            PolicyVersion = Policy.Version,
            KeyFingerprint = Key.Fingerprint,
            Disposition = risk is null ? "deidentified" : "quarantined",
            QuarantineReason = risk,
            OutputPath = relative.Replace(Path.DirectorySeparatorChar, '/'),
            OutputSopInstanceUid = newSop,
            OutputStudyInstanceUid = study,
            OutputSeriesInstanceUid = series,
            OutputLength = length,
            OutputHash = Convert.ToBase64String(hash),
            PixelsCleaned = pixelsCleaned,
            ActionCounts = report.Counts,
            Tags = report.Tags.ToDictionary(
                kv => kv.Key,
                kv => (IReadOnlyList<string>)[.. kv.Value.Order().Select(t => new DicomTag(t).ToString())],
                StringComparer.Ordinal),
            Timestamp = _time.GetUtcNow(),
        };

        return new DeidentificationResult(sourcePath,
            risk is null ? DeidentificationStatus.Deidentified : DeidentificationStatus.Quarantined, target, risk, receipt);
    }

    private static void RewriteMeta(DicomFile file, string newSop)
    {
        var meta = file.FileMetaInformation;
        var sopClass = file.Dataset.GetString(new DicomTag(0x00080016))?.Trim('\0', ' ') ?? "";
        meta.SetString(new DicomTag(0x00020002), DicomVR.UI, sopClass);
        meta.SetString(new DicomTag(0x00020003), DicomVR.UI, newSop);

        // the sending AE title and private meta information could identify the source
        meta.Remove(new DicomTag(0x00020016));
        meta.Remove(new DicomTag(0x00020017));
        meta.Remove(new DicomTag(0x00020018));
        meta.Remove(new DicomTag(0x00020100));
        meta.Remove(new DicomTag(0x00020102));
        meta.Remove(new DicomTag(0x00020012));
        meta.Remove(new DicomTag(0x00020013));
    }

    private (bool Cleaned, string? Problem) ApplyPixelMask(DicomDataset dataset)
    {
        if (Policy.PixelMasks.Count == 0 || dataset[new DicomTag(0x7FE00010)] is not { } pixels)
        {
            return (false, null);
        }

        var modality = dataset.GetString(new DicomTag(0x00080060))?.Trim();
        var manufacturer = dataset.GetString(new DicomTag(0x00080070))?.Trim();
        dataset.TryGetInt32(new DicomTag(0x00280010), out var rows);
        dataset.TryGetInt32(new DicomTag(0x00280011), out var columns);
        var rectangles = new List<PixelRectangle>();
        foreach (var rule in Policy.PixelMasks)
        {
            if ((rule.Modality is null || string.Equals(rule.Modality, modality, StringComparison.OrdinalIgnoreCase))
                && (rule.Manufacturer is null || string.Equals(rule.Manufacturer, manufacturer, StringComparison.OrdinalIgnoreCase))
                && (rule.Rows is null || rule.Rows == rows)
                && (rule.Columns is null || rule.Columns == columns))
            {
                rectangles.AddRange(rule.Rectangles);
            }
        }

        if (rectangles.Count == 0)
        {
            return (false, null);
        }

        if (pixels is not DicomValueElement native)
        {
            return (false, "a pixel mask rule matches but the pixel data is compressed; only uncompressed pixel data can be masked");
        }

        dataset.TryGetInt32(new DicomTag(0x00280100), out var bitsAllocated);
        dataset.TryGetInt32(new DicomTag(0x00280002), out var samples);
        dataset.TryGetInt32(new DicomTag(0x00280006), out var planar);
        var mask = PixelMask.TryCreate(rows, columns, bitsAllocated, samples == 0 ? 1 : samples, planar, rectangles, out var reason);
        if (mask is null)
        {
            return (false, "a pixel mask rule matches but " + reason);
        }

        dataset.Add(MaskedValueSource.Wrap(native, mask));
        return (true, null);
    }

    private bool ModalityAllowed(DicomDataset dataset)
    {
        if (Policy.BurnedIn.AllowModalities.Count == 0)
        {
            return false;
        }

        var modality = dataset.GetString(new DicomTag(0x00080060))?.Trim();
        return modality is not null && Policy.BurnedIn.AllowModalities.Contains(modality, StringComparer.OrdinalIgnoreCase);
    }

    private static DeidentificationResult Failed(string path, string reason) =>
        new(path, DeidentificationStatus.Failed, null, reason, null);

    private static string Describe(Exception e) => e switch
    {
        DicomReadException read => read.Message,
        FileNotFoundException => "the file does not exist",
        UnauthorizedAccessException => "the file cannot be read (permission denied)",
        DicomException or IOException or FormatException or InvalidDataException => e.Message,
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };

    private static string SafeName(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        Span<char> buffer = stackalloc char[Math.Min(value.Length, 128)];
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = value[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_';
        }

        var name = new string(buffer);
        return name is "." or ".." ? fallback : name;
    }
}
