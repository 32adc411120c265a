using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>
/// Keccak-256 as Ethereum uses it (the original Keccak padding 0x01, not SHA3-256's 0x06), so that dataset keys are
/// computed the same way without a dependency on an Ethereum library: .NET's <c>SHA3_256</c> gives other digests.
/// Ledger plugins hash their transactions with it too: its permutation is optimized from the first call, where an
/// Ethereum library's hash, called twice per batch, runs unoptimized (tier-0) code for a long time.
/// </summary>
public static class Keccak256
{
    private const int Rate = 136; // (1600 - 2 * 256) / 8

    private static readonly ulong[] RoundConstants =
    [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000, 0x000000000000808B, 0x0000000080000001,
        0x8000000080008081, 0x8000000000008009, 0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
        0x000000000000800A, 0x800000008000000A, 0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ];

    /// <summary>The 32-byte Keccak-256 digest of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        while (data.Length >= Rate)
        {
            Absorb(state, data[..Rate]);
            data = data[Rate..];
        }

        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        data.CopyTo(last);
        last[data.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        Absorb(state, last);

        var digest = new byte[32];
        for (var i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(digest.AsSpan(i * 8), state[i]);
        return digest;
    }

    private static void Absorb(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        for (var i = 0; i < Rate / 8; i++) state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
        Permute(state);
    }

    /// <summary>Keccak-f[1600]: 24 rounds of theta, rho and pi, chi, iota, on the 25 lanes held in locals (lane x, y is <c>a[x + 5y]</c>).</summary>
    /// <remarks>Optimized from its first call: an anchoring batch hashes ~129 KB twice, hundreds of permutations before tiering would promote it.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Permute(Span<ulong> a)
    {
        var a00 = a[0];
        var a10 = a[1];
        var a20 = a[2];
        var a30 = a[3];
        var a40 = a[4];
        var a01 = a[5];
        var a11 = a[6];
        var a21 = a[7];
        var a31 = a[8];
        var a41 = a[9];
        var a02 = a[10];
        var a12 = a[11];
        var a22 = a[12];
        var a32 = a[13];
        var a42 = a[14];
        var a03 = a[15];
        var a13 = a[16];
        var a23 = a[17];
        var a33 = a[18];
        var a43 = a[19];
        var a04 = a[20];
        var a14 = a[21];
        var a24 = a[22];
        var a34 = a[23];
        var a44 = a[24];

        for (var round = 0; round < 24; round++)
        {
            // theta
            var c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
            var c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
            var c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
            var c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
            var c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
            var d0 = c4 ^ BitOperations.RotateLeft(c1, 1);
            var d1 = c0 ^ BitOperations.RotateLeft(c2, 1);
            var d2 = c1 ^ BitOperations.RotateLeft(c3, 1);
            var d3 = c2 ^ BitOperations.RotateLeft(c4, 1);
            var d4 = c3 ^ BitOperations.RotateLeft(c0, 1);
            a00 ^= d0;
            a10 ^= d1;
            a20 ^= d2;
            a30 ^= d3;
            a40 ^= d4;
            a01 ^= d0;
            a11 ^= d1;
            a21 ^= d2;
            a31 ^= d3;
            a41 ^= d4;
            a02 ^= d0;
            a12 ^= d1;
            a22 ^= d2;
            a32 ^= d3;
            a42 ^= d4;
            a03 ^= d0;
            a13 ^= d1;
            a23 ^= d2;
            a33 ^= d3;
            a43 ^= d4;
            a04 ^= d0;
            a14 ^= d1;
            a24 ^= d2;
            a34 ^= d3;
            a44 ^= d4;
            // rho and pi: lane x, y moves to y, 2x + 3y
            var b00 = a00;
            var b10 = BitOperations.RotateLeft(a11, 44);
            var b20 = BitOperations.RotateLeft(a22, 43);
            var b30 = BitOperations.RotateLeft(a33, 21);
            var b40 = BitOperations.RotateLeft(a44, 14);
            var b01 = BitOperations.RotateLeft(a30, 28);
            var b11 = BitOperations.RotateLeft(a41, 20);
            var b21 = BitOperations.RotateLeft(a02, 3);
            var b31 = BitOperations.RotateLeft(a13, 45);
            var b41 = BitOperations.RotateLeft(a24, 61);
            var b02 = BitOperations.RotateLeft(a10, 1);
            var b12 = BitOperations.RotateLeft(a21, 6);
            var b22 = BitOperations.RotateLeft(a32, 25);
            var b32 = BitOperations.RotateLeft(a43, 8);
            var b42 = BitOperations.RotateLeft(a04, 18);
            var b03 = BitOperations.RotateLeft(a40, 27);
            var b13 = BitOperations.RotateLeft(a01, 36);
            var b23 = BitOperations.RotateLeft(a12, 10);
            var b33 = BitOperations.RotateLeft(a23, 15);
            var b43 = BitOperations.RotateLeft(a34, 56);
            var b04 = BitOperations.RotateLeft(a20, 62);
            var b14 = BitOperations.RotateLeft(a31, 55);
            var b24 = BitOperations.RotateLeft(a42, 39);
            var b34 = BitOperations.RotateLeft(a03, 41);
            var b44 = BitOperations.RotateLeft(a14, 2);
            // chi, iota
            a00 = b00 ^ (~b10 & b20);
            a10 = b10 ^ (~b20 & b30);
            a20 = b20 ^ (~b30 & b40);
            a30 = b30 ^ (~b40 & b00);
            a40 = b40 ^ (~b00 & b10);
            a01 = b01 ^ (~b11 & b21);
            a11 = b11 ^ (~b21 & b31);
            a21 = b21 ^ (~b31 & b41);
            a31 = b31 ^ (~b41 & b01);
            a41 = b41 ^ (~b01 & b11);
            a02 = b02 ^ (~b12 & b22);
            a12 = b12 ^ (~b22 & b32);
            a22 = b22 ^ (~b32 & b42);
            a32 = b32 ^ (~b42 & b02);
            a42 = b42 ^ (~b02 & b12);
            a03 = b03 ^ (~b13 & b23);
            a13 = b13 ^ (~b23 & b33);
            a23 = b23 ^ (~b33 & b43);
            a33 = b33 ^ (~b43 & b03);
            a43 = b43 ^ (~b03 & b13);
            a04 = b04 ^ (~b14 & b24);
            a14 = b14 ^ (~b24 & b34);
            a24 = b24 ^ (~b34 & b44);
            a34 = b34 ^ (~b44 & b04);
            a44 = b44 ^ (~b04 & b14);
            a00 ^= RoundConstants[round];
        }

        a[0] = a00;
        a[1] = a10;
        a[2] = a20;
        a[3] = a30;
        a[4] = a40;
        a[5] = a01;
        a[6] = a11;
        a[7] = a21;
        a[8] = a31;
        a[9] = a41;
        a[10] = a02;
        a[11] = a12;
        a[12] = a22;
        a[13] = a32;
        a[14] = a42;
        a[15] = a03;
        a[16] = a13;
        a[17] = a23;
        a[18] = a33;
        a[19] = a43;
        a[20] = a04;
        a[21] = a14;
        a[22] = a24;
        a[23] = a34;
        a[24] = a44;
    }
}
