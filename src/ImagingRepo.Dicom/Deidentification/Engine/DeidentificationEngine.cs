using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Deidentification.Engine;

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

    // the steps of one file, each its own type: read and de-identify in memory, decide about an existing output, write
    // and name it, record it; and the writer that hashes four outputs together
    private readonly InstanceDeidentifier _instance;
    private readonly InstancePreparer _preparer;
    private readonly ReceiptRecorder _recorder;
    private readonly OutputRecovery _recovery;
    private readonly OutputWriter _writer;
    private readonly FourLaneWriter _fourLanes;

    /// <summary>Creates an engine.</summary>
    /// <param name="key">The project's pseudonymization key.</param>
    /// <param name="policy">The project policy; the Basic Profile with defaults when null.</param>
    /// <param name="timeProvider">The clock for receipt timestamps; the system clock when null.</param>
    /// <exception cref="DeidentificationPolicyException">The policy is invalid.</exception>
    /// <exception cref="PlatformNotSupportedException">SHA3-256 (for receipts) is not available on this platform.</exception>
    public DeidentificationEngine(DeidentificationKey key, DeidentificationPolicy? policy = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        EnsureSupported();
        Policy = policy ?? DeidentificationPolicy.Default;
        Policy.Validate();
        Key = key;
        Pseudonymizer = new Pseudonymizer(key, Policy.Pseudonyms);
        _instance = new InstanceDeidentifier(new ProfileRules(Policy), Pseudonymizer);
        _preparer = new InstancePreparer(Policy, _instance, Pseudonymizer);
        _recorder = new ReceiptRecorder(Policy, key, timeProvider ?? TimeProvider.System);
        _recovery = new OutputRecovery(_recorder);
        _writer = new OutputWriter(_recorder);
        _fourLanes = new FourLaneWriter(_writer);
    }

    /// <summary>Throws when this platform lacks SHA3-256, without which no receipt can be computed.</summary>
    /// <exception cref="PlatformNotSupportedException">SHA3-256 is not available.</exception>
    internal static void EnsureSupported()
    {
        if (!SHA3_256.IsSupported)
        {
            throw new PlatformNotSupportedException(
                "SHA3-256 is not available here (on Linux it needs OpenSSL 1.1.1 or later); receipts cannot be computed.");
        }
    }

    /// <summary>The policy in force.</summary>
    public DeidentificationPolicy Policy { get; }

    /// <summary>The key in use.</summary>
    public DeidentificationKey Key { get; }

    /// <summary>The pseudonymizer (UIDs, patient pseudonyms, date offsets) under the key.</summary>
    public Pseudonymizer Pseudonymizer { get; }

    /// <summary>Where the honest broker's re-identification journal goes; none when null.</summary>
    public ReidentificationJournal? Journal { get => _recorder.Journal; init => _recorder.Journal = value; }

    /// <summary>
    /// Asked about each output that already exists, with its path as receipts give it (relative to the output root,
    /// <c>/</c>-separated): true when no receipt records it, as after a crash between naming an output and appending its
    /// receipt. The engine then rebuilds that output in memory and, when its SHA3-256 equals the existing file's,
    /// reports it skipped with a receipt; when it differs, the input fails, since the file is not this run's output.
    /// When null, existing outputs are skipped without a receipt.
    /// </summary>
    public Func<string, bool>? IsReceiptMissing { get => _recovery.IsReceiptMissing; init => _recovery.IsReceiptMissing = value; }

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
    /// <param name="cancellationToken">Cancels before the output is given its name.</param>
    /// <returns>The outcome, with the receipt when something was written.</returns>
    public DeidentificationResult DeidentifyFile(string sourcePath, string outputRoot, string? quarantineRoot = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(outputRoot);
        using var activity = DeidentificationTelemetry.Activities.StartActivity("deidentify-file");
        var layout = new OutputLayout(outputRoot, quarantineRoot);
        var result = DeidentificationTelemetry.Count(FileOutcomes.Guard(sourcePath,
            () => Prepare(sourcePath, layout, null, -1, out var prepared, cancellationToken) ?? _writer.WriteStreaming(prepared!, cancellationToken)));
        activity?.SetTag("status", result.Status.ToString());
        return result;
    }

    /// <summary>
    /// De-identifies many files, as <see cref="DeidentifyFile"/> does each, on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads. Each thread takes one file at a time and hashes the outputs of
    /// four files together (SHA3-256 runs four lanes side by side, where AVX2 is available), which halves the cost of the
    /// receipts: inputs up to 8 MiB are rewritten in memory and written in groups of four, larger ones are produced three
    /// or four side by side about 1 MiB at a time.
    /// </summary>
    /// <param name="sourcePaths">The input files; files next to each other in the list should be of similar size (one series),
    /// since the four hashed together take as long as the longest. Where inputs share a SOP Instance UID, the first in the list
    /// is written: later identical inputs are skipped as its duplicates, later different ones fail as conflicts, whatever
    /// order the threads finish in.</param>
    /// <param name="outputRoot">The output tree.</param>
    /// <param name="onResult">Called once per input as it finishes, from several threads at once: it must be thread-safe.</param>
    /// <param name="quarantineRoot">The quarantine tree; <c>outputRoot</c> + <c>-quarantine</c> when null.</param>
    /// <param name="maxDegreeOfParallelism">Threads to use; the number of cores when 0 or less.</param>
    /// <param name="cancellationToken">Stops taking new files; outputs already named stay complete.</param>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public void DeidentifyFiles(IReadOnlyList<string> sourcePaths, string outputRoot, Action<DeidentificationResult> onResult,
        string? quarantineRoot = null, int maxDegreeOfParallelism = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourcePaths);
        ArgumentNullException.ThrowIfNull(outputRoot);
        ArgumentNullException.ThrowIfNull(onResult);
        using var activity = DeidentificationTelemetry.Activities.StartActivity("deidentify-files");
        activity?.SetTag("files", sourcePaths.Count);
        var layout = new OutputLayout(outputRoot, quarantineRoot);
        var claims = new InstanceClaims(sourcePaths);
        var workers = Math.Min(maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount, Math.Max(1, sourcePaths.Count));
        var next = -1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, workers, options, _ =>
        {
            // files are taken one at a time (large ones stream out at once, so threads stay balanced); small ones wait
            // in memory until there are four to hash together
            var pending = new List<(PreparedOutput Prepared, PooledBufferStream Bytes)>(FourLaneWriter.GroupSize);
            var large = new List<PreparedOutput>(FourLaneWriter.GroupSize);
            try
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < sourcePaths.Count)
                {
                    DeidentificationResult? result;
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        result = Begin(claims, index, layout, pending, large, cancellationToken);
                    }
                    finally
                    {
                        // an input that ended before claiming its UID must not hold back the inputs after it
                        claims.Settle(index);
                    }

                    if (result is not null)
                    {
                        onResult(DeidentificationTelemetry.Count(result));
                    }

                    if (pending.Count == FourLaneWriter.GroupSize)
                    {
                        _fourLanes.WritePending(pending, onResult, cancellationToken);
                    }

                    if (large.Count == FourLaneWriter.GroupSize)
                    {
                        _fourLanes.WriteLarge(large, onResult, cancellationToken);
                    }
                }

                _fourLanes.WritePending(pending, onResult, cancellationToken);
                _fourLanes.WriteLarge(large, onResult, cancellationToken);
            }
            finally
            {
                foreach (var (_, bytes) in pending)
                {
                    bytes.Dispose();
                }
            }
        });
    }

    /// <summary>Prepares one file of a batch and hands it to the four-lane writer; returns the result when the file is done.</summary>
    private DeidentificationResult? Begin(InstanceClaims claims, int index, OutputLayout layout, List<(PreparedOutput, PooledBufferStream)> pending,
        List<PreparedOutput> large, CancellationToken cancellationToken) => FileOutcomes.Guard(claims.PathAt(index), () =>
        Prepare(claims.PathAt(index), layout, claims, index, out var prepared, cancellationToken)
        ?? _fourLanes.Add(prepared!, pending, large, cancellationToken));

    /// <summary>
    /// Reads the file and applies the profile; returns the result when the file ends here (failed, already done, or a
    /// duplicate of an earlier input), otherwise null with the rewritten file and where it goes in <paramref name="prepared"/>.
    /// </summary>
    private DeidentificationResult? Prepare(string sourcePath, OutputLayout layout, InstanceClaims? claims, int index,
        out PreparedOutput? prepared, CancellationToken cancellationToken) =>
        _preparer.Prepare(sourcePath, layout, claims, index, out prepared) ?? _recovery.Resolve(prepared!, layout, cancellationToken);
}
