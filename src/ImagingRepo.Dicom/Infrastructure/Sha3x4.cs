using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace ImagingRepo.Dicom.Infrastructure;

/// <summary>
/// SHA3-256 (FIPS 202) of up to four messages at once: four Keccak states side by side in AVX2 registers. A Keccak
/// permutation is a long chain of dependent 64-bit operations, so one core runs four of them in about the time
/// OpenSSL's scalar code takes for two; receipts of many small and mid-sized files cost half the CPU this way.
/// </summary>
/// <remarks>
/// Messages are absorbed in lockstep, so a group of very different lengths wastes the short lanes' share: callers
/// group messages of similar size. Where AVX2 is missing, <see cref="HashData"/> falls back to one message at a time.
/// </remarks>
internal static partial class Sha3x4
{
    /// <summary>The SHA3-256 rate: bytes absorbed per permutation.</summary>
    public const int Rate = 136;

    /// <summary>The digest length in bytes.</summary>
    public const int DigestLength = 32;

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
        0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
        0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
        0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
        0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>True when the four-way permutation runs in hardware (AVX2).</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>Computes the SHA3-256 of each message (at most four) into <paramref name="digests"/>, 32 bytes each, in order.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="digests">Where the digests go: at least 32 bytes per message.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void HashData(ReadOnlySpan<ReadOnlyMemory<byte>> messages, Span<byte> digests)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messages.Length, 4, nameof(messages));
        ArgumentOutOfRangeException.ThrowIfLessThan(digests.Length, messages.Length * DigestLength, nameof(digests));
        if (!IsAccelerated || messages.Length < 2)
        {
            // one lane of four would cost more than OpenSSL's scalar code
            for (var i = 0; i < messages.Length; i++)
            {
                SHA3_256.HashData(messages[i].Span, digests.Slice(i * DigestLength, DigestLength));
            }

            return;
        }

        Span<Vector256<ulong>> state = stackalloc Vector256<ulong>[25];
        state.Clear();
        Span<LaneMode> modes = [LaneMode.Idle, LaneMode.Idle, LaneMode.Idle, LaneMode.Idle];
        modes[..messages.Length].Fill(LaneMode.Final);
        Absorb(state, messages, modes, digests);
    }

    /// <summary>
    /// Absorbs one chunk per lane into four states side by side. A continuing lane's chunk is a whole number of blocks,
    /// the same number for every continuing lane; a final lane's chunk is the message's tail, shorter than that (any
    /// length when no lane continues), and its digest goes to <paramref name="digests"/> at 32 × lane. Idle lanes
    /// absorb zeros: whatever they held is lost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    [SkipLocalsInit] // the working state is copied in before it is read
    internal static unsafe void Absorb(Span<Vector256<ulong>> state, ReadOnlySpan<ReadOnlyMemory<byte>> chunks, ReadOnlySpan<LaneMode> modes,
        Span<byte> digests)
    {
        state = state[..25];
        Span<byte> padded = stackalloc byte[4 * Rate];

        // lane i takes whole blocks below fullBlocks[i], then (when final) its padded block, then zeros
        Span<long> fullBlocks = stackalloc long[4];
        Span<long> lastBlock = stackalloc long[4];
        var blocks = 0L;
        for (var i = 0; i < 4; i++)
        {
            var mode = i < modes.Length ? modes[i] : LaneMode.Idle;
            var length = mode == LaneMode.Idle ? 0 : chunks[i].Length;
            fullBlocks[i] = length / Rate;
            lastBlock[i] = mode == LaneMode.Final ? fullBlocks[i] : -1;
            if (mode == LaneMode.Continuing && length % Rate != 0)
            {
                throw new ArgumentException("a continuing lane's chunk must be a whole number of blocks", nameof(chunks));
            }

            blocks = Math.Max(blocks, mode == LaneMode.Final ? fullBlocks[i] + 1 : fullBlocks[i]);
            if (mode == LaneMode.Final)
            {
                Pad(chunks[i].Span[(int)(fullBlocks[i] * Rate)..], padded.Slice(i * Rate, Rate));
            }
        }

        for (var i = 0; i < modes.Length; i++)
        {
            if (modes[i] == LaneMode.Continuing && fullBlocks[i] != blocks)
            {
                throw new ArgumentException("continuing lanes need chunks of one length, longer than every final lane's", nameof(chunks));
            }
        }

        // the permutation works on a 32-byte aligned copy and a scratch state beside it (see Permute)
        var stack = stackalloc byte[(2 * 25 * 32) + 31];
        ref var aligned = ref Unsafe.AsRef<Vector256<ulong>>((void*)(((nint)stack + 31) & ~(nint)31));
        var working = MemoryMarshal.CreateSpan(ref aligned, 25);
        state.CopyTo(working);

        // each message's span once (ReadOnlyMemory.Span is not free), not once per block
        var m0 = MessageOf(chunks, modes, 0);
        var m1 = MessageOf(chunks, modes, 1);
        var m2 = MessageOf(chunks, modes, 2);
        var m3 = MessageOf(chunks, modes, 3);
        for (var block = 0L; block < blocks; block++)
        {
            var b0 = BlockOf(m0, padded[..Rate], fullBlocks[0], lastBlock[0], block);
            var b1 = BlockOf(m1, padded.Slice(Rate, Rate), fullBlocks[1], lastBlock[1], block);
            var b2 = BlockOf(m2, padded.Slice(2 * Rate, Rate), fullBlocks[2], lastBlock[2], block);
            var b3 = BlockOf(m3, padded.Slice(3 * Rate, Rate), fullBlocks[3], lastBlock[3], block);
            for (var lane = 0; lane < 16; lane += 4)
            {
                // four lanes of each message, transposed so that each vector holds one lane of all four
                var t0 = Avx2.UnpackLow(Load(b0, lane), Load(b1, lane));
                var t1 = Avx2.UnpackHigh(Load(b0, lane), Load(b1, lane));
                var t2 = Avx2.UnpackLow(Load(b2, lane), Load(b3, lane));
                var t3 = Avx2.UnpackHigh(Load(b2, lane), Load(b3, lane));
                working[lane] ^= Avx2.Permute2x128(t0, t2, 0x20);
                working[lane + 1] ^= Avx2.Permute2x128(t1, t3, 0x20);
                working[lane + 2] ^= Avx2.Permute2x128(t0, t2, 0x31);
                working[lane + 3] ^= Avx2.Permute2x128(t1, t3, 0x31);
            }

            working[16] ^= Vector256.Create(LaneAt(b0, 16), LaneAt(b1, 16), LaneAt(b2, 16), LaneAt(b3, 16));
            Permute(ref aligned, ref Unsafe.Add(ref aligned, 25));
            for (var i = 0; i < 4; i++)
            {
                if (lastBlock[i] == block)
                {
                    var digest = digests.Slice(i * DigestLength, DigestLength);
                    for (var lane = 0; lane < DigestLength / 8; lane++)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(digest[(lane * 8)..], working[lane].GetElement(i));
                    }
                }
            }
        }

        working.CopyTo(state);
    }

    /// <summary>Zeroes one lane of four states: the lane starts a new message.</summary>
    internal static void ResetLane(Span<Vector256<ulong>> state, int lane)
    {
        for (var i = 0; i < 25; i++)
        {
            state[i] = state[i].WithElement(lane, 0UL);
        }
    }

    private static ReadOnlySpan<byte> MessageOf(ReadOnlySpan<ReadOnlyMemory<byte>> chunks, ReadOnlySpan<LaneMode> modes, int lane) =>
        lane < modes.Length && modes[lane] != LaneMode.Idle ? chunks[lane].Span : default;

    /// <summary>Block <paramref name="block"/> of a lane: a whole block of its message, its padded last block, or zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> BlockOf(ReadOnlySpan<byte> message, ReadOnlySpan<byte> padded, long fullBlocks, long lastBlock, long block)
    {
        if (block < fullBlocks)
        {
            return message.Slice((int)(block * Rate), Rate);
        }

        return block == lastBlock ? padded : ZeroBlock;
    }

    /// <summary>What a lane without a message absorbs.</summary>
    private static readonly byte[] ZeroBlock = new byte[Rate];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Load(ReadOnlySpan<byte> block, int lane) => Vector256.Create<byte>(block.Slice(lane * 8, 32)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LaneAt(ReadOnlySpan<byte> block, int lane) => BinaryPrimitives.ReadUInt64LittleEndian(block[(lane * 8)..]);

    /// <summary>The final block: the message's tail, the SHA3 domain bits 01 with the first pad bit, the last pad bit.</summary>
    private static void Pad(ReadOnlySpan<byte> tail, Span<byte> block)
    {
        block.Clear();
        tail.CopyTo(block);
        block[tail.Length] ^= 0x06;
        block[Rate - 1] ^= 0x80;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotate(Vector256<ulong> value, [ConstantExpected(Min = 1, Max = 63)] byte count) =>
        Vector256.ShiftLeft(value, count) | Vector256.ShiftRightLogical(value, 64 - count);

    /// <summary>
    /// Rotation by one with an add for the left shift: vector shifts and shuffles share two of the four vector ports, and
    /// they are a third of the permutation's operations, so moving some off those ports shortens a round.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotate1(Vector256<ulong> value) => (value + value) | Vector256.ShiftRightLogical(value, 63);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotate8(Vector256<ulong> value) =>
        Avx2.Shuffle(value.AsByte(), Vector256.Create((byte)7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14)).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Rotate56(Vector256<ulong> value) =>
        Avx2.Shuffle(value.AsByte(), Vector256.Create((byte)1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8)).AsUInt64();
}

/// <summary>What a lane of <see cref="Sha3x4.Absorb"/> does with its chunk.</summary>
internal enum LaneMode
{
    /// <summary>No message: the lane absorbs zeros.</summary>
    Idle,

    /// <summary>A middle chunk of a message: whole blocks.</summary>
    Continuing,

    /// <summary>The last chunk of a message: padded, and the digest taken.</summary>
    Final,
}
