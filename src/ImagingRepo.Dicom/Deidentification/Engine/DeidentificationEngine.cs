using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.Intrinsics;
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

    // every output's preamble: the policy's fixed one, or zeros; never the input's
    private readonly byte[] _preamble;
    private readonly string _preambleKind;

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
        _rules = new ProfileRules(Policy);
        _instance = new InstanceDeidentifier(_rules, Pseudonymizer);
        _time = timeProvider ?? TimeProvider.System;
        _optionNames = DeidentificationOptionNames.ToNames(Policy.Options);
        _codes = [.. DeidentificationMethodCode.For(Policy.Options).Select(c => c.Value)];
        _preamble = Policy.Preamble.IsEmpty ? new byte[DeidentificationPolicy.PreambleLength] : Policy.Preamble.ToArray();
        _preambleKind = Policy.Preamble.IsEmpty ? "zeros" : "policy";
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
    public ReidentificationJournal? Journal { get; init; }

    /// <summary>
    /// Asked about each output that already exists, with its path as receipts give it (relative to the output root,
    /// <c>/</c>-separated): true when no receipt records it, as after a crash between naming an output and appending its
    /// receipt. The engine then rebuilds that output in memory and, when its SHA3-256 equals the existing file's,
    /// reports it skipped with a receipt; when it differs, the input fails, since the file is not this run's output.
    /// When null, existing outputs are skipped without a receipt.
    /// </summary>
    public Func<string, bool>? IsReceiptMissing { get; init; }

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
        using var activity = Activities.StartActivity("deidentify-file");
        var roots = new OutputRoots(outputRoot, quarantineRoot);
        var result = Count(Guard(sourcePath, () => Prepare(sourcePath, roots, null, -1, out var prepared, cancellationToken)
            ?? WriteStreaming(prepared!, cancellationToken)));
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
        using var activity = Activities.StartActivity("deidentify-files");
        activity?.SetTag("files", sourcePaths.Count);
        var roots = new OutputRoots(outputRoot, quarantineRoot);
        var claims = new InstanceClaims(sourcePaths);
        var workers = Math.Min(maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount, Math.Max(1, sourcePaths.Count));
        var next = -1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, workers, options, _ =>
        {
            // files are taken one at a time (large ones stream out at once, so threads stay balanced); small ones wait
            // in memory until there are four to hash together
            var pending = new List<(PreparedOutput Prepared, PooledBufferStream Bytes)>(GroupSize);
            var large = new List<PreparedOutput>(GroupSize);
            try
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < sourcePaths.Count)
                {
                    DeidentificationResult? result;
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        result = Begin(claims, index, roots, pending, large, cancellationToken);
                    }
                    finally
                    {
                        // an input that ended before claiming its UID must not hold back the inputs after it
                        claims.Settle(index);
                    }

                    if (result is not null)
                    {
                        onResult(Count(result));
                    }

                    if (pending.Count == GroupSize)
                    {
                        WritePending(pending, onResult, cancellationToken);
                    }

                    if (large.Count == GroupSize)
                    {
                        WriteLarge(large, onResult, cancellationToken);
                    }
                }

                WritePending(pending, onResult, cancellationToken);
                WriteLarge(large, onResult, cancellationToken);
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

    /// <summary>Files hashed together: the lanes of <see cref="Sha3x4"/>.</summary>
    private const int GroupSize = 4;

    /// <summary>Inputs up to this size are rewritten in memory and hashed four at a time; larger ones stream to disk.</summary>
    private const long InMemoryLimit = 8 << 20;

    /// <summary>Bytes each lane of a large group hashes and writes per round: whole SHA3 blocks, about 1 MiB.</summary>
    private const int ChunkSize = Sha3x4.Rate * 7710;

    /// <summary>
    /// Reads and de-identifies one file; writes it at once when the four-way hash is not available, otherwise adds it to
    /// <paramref name="large"/> or rewrites it into memory and adds it to <paramref name="pending"/>. Returns the result
    /// when the file is done.
    /// </summary>
    private DeidentificationResult? Begin(InstanceClaims claims, int index, OutputRoots roots, List<(PreparedOutput, PooledBufferStream)> pending,
        List<PreparedOutput> large, CancellationToken cancellationToken) => Guard(claims.PathAt(index), () =>
    {
        if (Prepare(claims.PathAt(index), roots, claims, index, out var prepared, cancellationToken) is { } early)
        {
            return early;
        }

        if (!Sha3x4.IsAccelerated)
        {
            return WriteStreaming(prepared!, cancellationToken);
        }

        if (prepared!.SourceLength > InMemoryLimit)
        {
            large.Add(prepared);
            return null;
        }

        var bytes = new PooledBufferStream((int)prepared.SourceLength + 4096);
        try
        {
            prepared.File.WriteTo(bytes);
        }
        catch
        {
            bytes.Dispose();
            throw;
        }

        pending.Add((prepared, bytes));
        return null;
    });

    /// <summary>Hashes the pending outputs together, writes each to its temporary file and renames it into place.</summary>
    private void WritePending(List<(PreparedOutput Prepared, PooledBufferStream Bytes)> pending, Action<DeidentificationResult> onResult,
        CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        Span<ReadOnlyMemory<byte>> messages = new ReadOnlyMemory<byte>[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            messages[i] = pending[i].Bytes.WrittenMemory;
        }

        var digests = new byte[pending.Count * Sha3x4.DigestLength];
        Sha3x4.HashData(messages, digests);
        try
        {
            for (var i = 0; i < pending.Count; i++)
            {
                var (prepared, bytes) = pending[i];
                var digest = digests.AsMemory(i * Sha3x4.DigestLength, Sha3x4.DigestLength);
                onResult(Count(Guard(prepared.SourcePath, () => WriteBuffered(prepared, bytes.WrittenMemory.Span, digest.Span, cancellationToken))));
            }
        }
        finally
        {
            foreach (var (_, bytes) in pending)
            {
                bytes.Dispose();
            }

            pending.Clear();
        }
    }

    /// <summary>
    /// Writes large outputs side by side: each is planned (header bytes, pixel data as a range of its source), then all
    /// are produced about 1 MiB per lane per round, hashed together and written, so none is ever held whole in memory.
    /// Fewer than three stream one after the other through OpenSSL, which is as fast for one or two.
    /// </summary>
    private void WriteLarge(List<PreparedOutput> large, Action<DeidentificationResult> onResult, CancellationToken cancellationToken)
    {
        if (large.Count < 3)
        {
            foreach (var prepared in large)
            {
                onResult(Count(Guard(prepared.SourcePath, () => WriteStreaming(prepared, cancellationToken))));
            }

            large.Clear();
            return;
        }

        var lanes = new LargeLane?[GroupSize];
        try
        {
            for (var i = 0; i < large.Count; i++)
            {
                var prepared = large[i];
                var lane = i;
                if (Guard(prepared.SourcePath, () => StartLane(prepared, lanes, lane, cancellationToken)) is { } ended)
                {
                    onResult(Count(ended));
                }
            }

            Span<Vector256<ulong>> state = new Vector256<ulong>[25];
            var chunks = new ReadOnlyMemory<byte>[GroupSize];
            var modes = new LaneMode[GroupSize];
            var digests = new byte[GroupSize * Sha3x4.DigestLength];
            while (Array.Exists(lanes, lane => lane is not null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                for (var i = 0; i < GroupSize; i++)
                {
                    (chunks[i], modes[i]) = (default, LaneMode.Idle);
                    if (lanes[i] is not { } lane)
                    {
                        continue;
                    }

                    var remaining = lane.Length - lane.Plan.Produced;
                    var take = (int)Math.Min(ChunkSize, remaining);
                    if (RunLaneStep(lanes, i, onResult, () => lane.Plan.ReadNext(lane.Buffer.AsSpan(0, take)) == take
                        ? null
                        : throw new IOException("the output plan ended early")))
                    {
                        (chunks[i], modes[i]) = (lane.Buffer.AsMemory(0, take), remaining < ChunkSize ? LaneMode.Final : LaneMode.Continuing);
                    }
                }

                Sha3x4.Absorb(state, chunks, modes, digests);
                for (var i = 0; i < GroupSize; i++)
                {
                    if (modes[i] == LaneMode.Idle || lanes[i] is not { } lane)
                    {
                        continue;
                    }

                    var (chunk, final) = (chunks[i], modes[i] == LaneMode.Final);
                    var digest = digests.AsMemory(i * Sha3x4.DigestLength, Sha3x4.DigestLength);
                    RunLaneStep(lanes, i, onResult, () =>
                    {
                        lane.Output.Append(chunk.Span);
                        if (!final)
                        {
                            return null;
                        }

                        // a result ends the lane: RunLaneStep reports it and disposes the lane
                        return Publish(lane.Prepared, lane.Output, digest.Span, lane.Length, cancellationToken);
                    });
                }
            }
        }
        finally
        {
            foreach (var lane in lanes)
            {
                lane?.Dispose();
            }

            large.Clear();
        }
    }

    /// <summary>Plans one large output and opens its file in lane <paramref name="index"/>; a result only when it failed or streamed.</summary>
    private DeidentificationResult? StartLane(PreparedOutput prepared, LargeLane?[] lanes, int index, CancellationToken cancellationToken)
    {
        var plan = new OutputPlan(InMemoryLimit);
        try
        {
            prepared.File.WriteTo(plan);
            plan.Flush();
        }
        catch (OutputPlanTooLargeException)
        {
            // a large value that must be transformed (byte order, mask) on the way: stream it instead
            plan.Dispose();
            return WriteStreaming(prepared, cancellationToken);
        }
        catch
        {
            plan.Dispose();
            throw;
        }

        try
        {
            lanes[index] = new LargeLane(prepared, plan, OutputFile.Create(prepared.Target), ArrayPool<byte>.Shared.Rent(ChunkSize));
            return null;
        }
        catch
        {
            plan.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one step of lane <paramref name="index"/>. A result (the output is in place) or a failure ends the lane and is
    /// reported; a failure abandons only this lane's file. Returns whether the lane goes on.
    /// </summary>
    private static bool RunLaneStep(LargeLane?[] lanes, int index, Action<DeidentificationResult> onResult,
        Func<DeidentificationResult?> step)
    {
        var lane = lanes[index]!;
        if (Guard(lane.Prepared.SourcePath, step) is not { } ended)
        {
            return true;
        }

        lanes[index] = null;
        lane.Dispose();
        onResult(Count(ended));
        return false;
    }

    /// <summary>One large output being written: its plan, file and chunk buffer.</summary>
    private sealed class LargeLane(PreparedOutput prepared, OutputPlan plan, OutputFile output, byte[] buffer) : IDisposable
    {
        private bool _disposed;

        public PreparedOutput Prepared { get; } = prepared;

        public OutputPlan Plan { get; } = plan;

        public long Length { get; } = plan.Length;

        public OutputFile Output { get; } = output;

        public byte[] Buffer { get; } = buffer;

        /// <summary>Closes the file (an unfinished one is discarded) and the plan, and returns the buffer.</summary>
        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Output.Dispose();
            Plan.Dispose();
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }

    /// <summary>Runs one file's step, turning any failure but cancellation into that file's failed result.</summary>
    private static DeidentificationResult? Guard(string sourcePath, Func<DeidentificationResult?> step)
    {
        try
        {
            return step();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // one bad input must never stop a run: any failure becomes this file's result
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failed(sourcePath, Describe(e));
        }
    }

    private static DeidentificationResult Count(DeidentificationResult? result)
    {
        Files.Add(1, new KeyValuePair<string, object?>("status", result!.Status.ToString()));
        return result;
    }

    /// <summary>
    /// Reads the file and applies the profile; returns the result when the file ends here (failed, already done, or a
    /// duplicate of an earlier input), otherwise null with the rewritten file and where it goes in <paramref name="prepared"/>.
    /// In a batch, the input claims its output SOP Instance UID in <paramref name="claims"/> as soon as that is known.
    /// </summary>
    private DeidentificationResult? Prepare(string sourcePath, OutputRoots roots, InstanceClaims? claims, int index,
        out PreparedOutput? prepared, CancellationToken cancellationToken)
    {
        prepared = null;
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
        var sopUids = SopUids.Complete(file);
        if (sopUids.Failure is { } notComposite)
        {
            return Failed(sourcePath, notComposite);
        }

        // Pixel mask first: a masked instance is clean of burned-in text where the rule says it is.
        var (pixelsCleaned, maskProblem) = ApplyPixelMask(dataset);
        var risk = pixelsCleaned ? null : maskProblem ?? BurnedInScreen.Assess(dataset);
        if (risk is not null && (Policy.BurnedIn.Allow || ModalityAllowed(dataset)))
        {
            risk = null;
        }

        var originalStudy = dataset.GetString(DicomTags.StudyInstanceUID)?.Trim('\0', ' ');
        var report = _instance.Apply(dataset, pixelsCleaned);
        if (sopUids.InstanceUidMissing)
        {
            // no UID to pseudonymize: one derived from the input's bytes, so the same file gets the same UID in every run
            dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, Pseudonymizer.InstanceUidFromContent(InputHash.Of(sourcePath)));
            report.Actions.Add(ActionLog.CodeOf(ElementActionKind.ReplaceUid), DicomTags.SOPInstanceUID.Value);
        }

        var newSop = dataset.GetString(DicomTags.SOPInstanceUID)?.Trim('\0', ' ') ?? "";
        var study = dataset.GetString(DicomTags.StudyInstanceUID)?.Trim('\0', ' ');
        var series = dataset.GetString(DicomTags.SeriesInstanceUID)?.Trim('\0', ' ');
        var subject = dataset.GetString(DicomTags.PatientID)?.Trim() ?? "";
        claims?.Claim(index, newSop);
        var relative = Path.Combine(SafeName(subject, "unknown-subject"), SafeName(study, "unknown-study"),
            SafeName(series, "unknown-series"), SafeName(newSop, "unknown-instance") + ".dcm");
        var target = Path.Combine(risk is null ? roots.Output : roots.Quarantine, relative);
        RewriteMeta(file, newSop, _preamble);
        prepared = new PreparedOutput(sourcePath, file, file.SourceLength >= 0 ? file.SourceLength : new FileInfo(sourcePath).Length, relative, target, risk, pixelsCleaned,
            report, subject, originalStudy, study, series, newSop, claims, index, sopUids.Diagnostics);

        // a rerun skips what is done; a folder this run created holds nothing done before, so ask only for older ones
        if (roots.EnsureFolder(Path.GetDirectoryName(target)!) || !File.Exists(target))
        {
            return null;
        }

        if (Contest(prepared, cancellationToken) is { } lost)
        {
            return lost;
        }

        return IsReceiptMissing?.Invoke(ReceiptPath(relative)) == true ? ReceiptForExisting(prepared) : Skipped(sourcePath, target);
    }

    /// <summary>
    /// In a batch, the outcome of an input whose output SOP Instance UID an input earlier in the list claimed too: skipped as
    /// its duplicate when the two files are the same bytes, failed as a conflict otherwise. Null when this input owns its UID.
    /// </summary>
    private static DeidentificationResult? Contest(PreparedOutput prepared, CancellationToken cancellationToken)
    {
        if (prepared.Claims is not { } claims)
        {
            return null;
        }

        var owner = claims.OwnerOf(prepared.Index, prepared.NewSop, cancellationToken);
        if (owner == prepared.Index)
        {
            return null;
        }

        var other = claims.PathAt(owner);
        return InputHash.SameContent(prepared.SourcePath, other)
            ? new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target, "duplicate of " + other, null)
            : Failed(prepared.SourcePath, $"conflict: same SOP Instance UID as {other}, which comes first in the input and is the one written; "
                + "this input has other content and is not written");
    }

    /// <summary>Writes the output through a hashing stream: for large inputs, never held whole in memory.</summary>
    private DeidentificationResult WriteStreaming(PreparedOutput prepared, CancellationToken cancellationToken)
    {
        using var output = OutputFile.Create(prepared.Target);
        using var hashing = new HashingWriteStream(output.AsStream(), HashAlgorithmName.SHA3_256);
        prepared.File.WriteTo(hashing);
        return Publish(prepared, output, hashing.GetHash(), hashing.BytesWritten, cancellationToken);
    }

    /// <summary>Writes an output rewritten and hashed in memory with one write call.</summary>
    private DeidentificationResult WriteBuffered(PreparedOutput prepared, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> hash,
        CancellationToken cancellationToken)
    {
        using var output = OutputFile.Create(prepared.Target);
        output.Append(bytes);
        return Publish(prepared, output, hash, bytes.Length, cancellationToken);
    }

    /// <summary>Names the finished output and writes the journal entry and the receipt.</summary>
    private DeidentificationResult Publish(PreparedOutput prepared, OutputFile output, ReadOnlySpan<byte> hash, long length,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Contest(prepared, cancellationToken) is { } lost)
        {
            return lost;
        }

        if (!output.TryPublish())
        {
            // another run (or a DeidentifyFile call) named the same output meanwhile: the first one stands
            return new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target,
                "the output was written meanwhile by another run", null);
        }

        return new DeidentificationResult(prepared.SourcePath,
            prepared.Risk is null ? DeidentificationStatus.Deidentified : DeidentificationStatus.Quarantined, prepared.Target,
            prepared.Risk, Record(prepared, hash, length)) { Diagnostics = prepared.Diagnostics ?? [] };
    }

    /// <summary>
    /// The receipt of an output that exists without one (a crash came between naming it and its receipt), after checking
    /// that the output rebuilt now is that file.
    /// </summary>
    private DeidentificationResult ReceiptForExisting(PreparedOutput prepared)
    {
        using var rebuilt = new HashingWriteStream(Stream.Null, HashAlgorithmName.SHA3_256);
        prepared.File.WriteTo(rebuilt);
        byte[] existing;
        long length;
        using (var stream = new FileStream(prepared.Target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 17))
        {
            existing = SHA3_256.HashData(stream);
            length = stream.Length;
        }

        var hash = rebuilt.GetHash();
        if (length != rebuilt.BytesWritten || !hash.AsSpan().SequenceEqual(existing))
        {
            return Failed(prepared.SourcePath,
                $"'{prepared.Target}' exists without a receipt but is not what this input becomes now (another key or policy?)");
        }

        return new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target, null,
            Record(prepared, hash, length)) { Diagnostics = prepared.Diagnostics ?? [] };
    }

    /// <summary>Writes the journal entry of a named output and returns its receipt.</summary>
    private DeidentificationReceipt Record(PreparedOutput prepared, ReadOnlySpan<byte> hash, long length)
    {
        var report = prepared.Report;
        var (counts, tags) = report.Actions.Summarize();
        Journal?.Record(report.PatientKey, prepared.Subject, report.DateShiftDays, prepared.OriginalStudy, prepared.Study);
        return new DeidentificationReceipt
        {
            Options = _optionNames,
            MethodCodes = prepared.PixelsCleaned ? [.. DeidentificationMethodCode.For(Policy.Options, true).Select(c => c.Value)] : _codes,
            PolicyName = Policy.Name,
            PolicyVersion = Policy.Version,
            KeyFingerprint = Key.Fingerprint,
            Disposition = prepared.Risk is null ? "deidentified" : "quarantined",
            QuarantineReason = prepared.Risk,
            OutputPath = ReceiptPath(prepared.Relative),
            OutputSopInstanceUid = prepared.NewSop,
            OutputStudyInstanceUid = prepared.Study,
            OutputSeriesInstanceUid = prepared.Series,
            OutputLength = length,
            OutputHash = Convert.ToBase64String(hash),
            PixelsCleaned = prepared.PixelsCleaned,
            Preamble = _preambleKind,
            Diagnostics = prepared.Diagnostics,
            ActionCounts = counts,
            Tags = tags,
            Timestamp = _time.GetUtcNow(),
        };
    }

    /// <summary>An output's path as receipts give it: relative to the output root, <c>/</c>-separated.</summary>
    private static string ReceiptPath(string relative) => relative.Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Where outputs and quarantined outputs go.</summary>
    private sealed class OutputRoots(string output, string? quarantine)
    {
        /// <summary>Folders seen in this call, and whether this call created them.</summary>
        private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

        public string Output { get; } = output;

        public string Quarantine { get; } = quarantine ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + "-quarantine";

        /// <summary>
        /// Creates <paramref name="folder"/> if needed, asking the file system once per folder rather than once per file
        /// (a series folder holds many instances). Returns whether it did not exist before this call.
        /// </summary>
        public bool EnsureFolder(string folder)
        {
            if (_folders.TryGetValue(folder, out var created))
            {
                return created;
            }

            created = !Directory.Exists(folder);
            Directory.CreateDirectory(folder);
            if (_folders.Count >= 4096)
            {
                // forgetting is safe: a forgotten folder is only asked about again, and counted as not created
                _folders.Clear();
            }

            _folders.TryAdd(folder, created);
            return created;
        }
    }

    /// <summary>A file read and de-identified in memory (the header; pixel data still in the source), not yet written.</summary>
    private sealed record PreparedOutput(
        string SourcePath,
        DicomFile File,
        long SourceLength,
        string Relative,
        string Target,
        string? Risk,
        bool PixelsCleaned,
        InstanceReport Report,
        string Subject,
        string? OriginalStudy,
        string? Study,
        string? Series,
        string NewSop,
        InstanceClaims? Claims,
        int Index,
        IReadOnlyList<string>? Diagnostics);

    private static void RewriteMeta(DicomFile file, string newSop, byte[] preamble)
    {
        // systems leave text in the preamble (AE titles, device names): it is never copied
        file.Preamble = preamble;
        var meta = file.FileMetaInformation;
        var sopClass = file.Dataset.GetString(DicomTags.SOPClassUID)?.Trim('\0', ' ') ?? "";
        meta.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, newSop);

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

    private static DeidentificationResult Skipped(string path, string target) =>
        new(path, DeidentificationStatus.Skipped, target, null, null);

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
