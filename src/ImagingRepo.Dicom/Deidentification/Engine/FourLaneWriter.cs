using System.Buffers;
using System.Runtime.Intrinsics;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Writes a thread's outputs in groups of four hashed together (SHA3-256 runs four lanes side by side where AVX2 is
/// available), which halves the cost of the receipts: inputs up to 8 MiB are rewritten in memory and written four at a time,
/// larger ones are produced three or four side by side about 1 MiB at a time.
/// </summary>
internal sealed class FourLaneWriter(OutputWriter writer)
{
    /// <summary>Files hashed together: the lanes of <see cref="Sha3x4"/>.</summary>
    public const int GroupSize = 4;

    /// <summary>Inputs up to this size are rewritten in memory and hashed four at a time; larger ones stream to disk.</summary>
    public const long InMemoryLimit = 8 << 20;

    /// <summary>Bytes each lane of a large group hashes and writes per round: whole SHA3 blocks, about 1 MiB.</summary>
    private const int ChunkSize = Sha3x4.Rate * 7710;

    /// <summary>
    /// Takes a prepared output: writes it at once when the four-way hash is not available, otherwise adds it to
    /// <paramref name="large"/> or rewrites it into memory and adds it to <paramref name="pending"/>. Returns the result
    /// when the file is done.
    /// </summary>
    public DeidentificationResult? Add(PreparedOutput prepared, List<(PreparedOutput, PooledBufferStream)> pending, List<PreparedOutput> large,
        CancellationToken cancellationToken)
    {
        if (!Sha3x4.IsAccelerated)
        {
            return writer.WriteStreaming(prepared, cancellationToken);
        }

        if (prepared.SourceLength > InMemoryLimit)
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
    }

    /// <summary>Hashes the pending outputs together, writes each to its temporary file and renames it into place.</summary>
    public void WritePending(List<(PreparedOutput Prepared, PooledBufferStream Bytes)> pending, Action<DeidentificationResult> onResult,
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
                onResult(DeidentificationTelemetry.Count(FileOutcomes.Guard(prepared.SourcePath, () => writer.WriteBuffered(prepared, bytes.WrittenMemory.Span, digest.Span, cancellationToken))));
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
    public void WriteLarge(List<PreparedOutput> large, Action<DeidentificationResult> onResult, CancellationToken cancellationToken)
    {
        if (large.Count < 3)
        {
            foreach (var prepared in large)
            {
                onResult(DeidentificationTelemetry.Count(FileOutcomes.Guard(prepared.SourcePath, () => writer.WriteStreaming(prepared, cancellationToken))));
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
                if (FileOutcomes.Guard(prepared.SourcePath, () => StartLane(prepared, lanes, lane, cancellationToken)) is { } ended)
                {
                    onResult(DeidentificationTelemetry.Count(ended));
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
                        return writer.Publish(lane.Prepared, lane.Output, digest.Span, lane.Length, cancellationToken);
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
            return writer.WriteStreaming(prepared, cancellationToken);
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
        if (FileOutcomes.Guard(lane.Prepared.SourcePath, step) is not { } ended)
        {
            return true;
        }

        lanes[index] = null;
        lane.Dispose();
        onResult(DeidentificationTelemetry.Count(ended));
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
}
