using System.Security.Cryptography;

namespace ImagingRepo.Tracing.Proofs;

/// <summary>
/// The binary Merkle tree over a batch of traces. Leaves and inner nodes are domain-separated
/// (leaf = SHA3-256(0x00 || canonical trace JSON), node = SHA3-256(0x01 || left || right)) so that no inner node
/// can pass for a leaf. Levels are built pairwise left to right; an odd last node moves up unchanged.
/// </summary>
public sealed class MerkleTree
{
    /// <summary>Size of every hash in bytes.</summary>
    public const int HashSize = 32;

    private readonly List<byte[][]> _levels;

    private MerkleTree(List<byte[][]> levels) => _levels = levels;

    /// <summary>Number of leaves.</summary>
    public int LeafCount => _levels[0].Length;

    /// <summary>The root hash.</summary>
    public ReadOnlyMemory<byte> Root => _levels[^1][0];

    /// <summary>Builds the tree over leaf hashes (see <see cref="HashLeaf"/>).</summary>
    /// <param name="leaves">At least one 32-byte leaf hash.</param>
    public static MerkleTree Build(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0) throw new ArgumentException("a Merkle tree needs at least one leaf", nameof(leaves));
        var level = new byte[leaves.Count][];
        for (var i = 0; i < level.Length; i++)
        {
            if (leaves[i].Length != HashSize) throw new ArgumentException($"leaf {i} is {leaves[i].Length} bytes, not {HashSize}", nameof(leaves));
            level[i] = leaves[i];
        }

        var levels = new List<byte[][]> { level };
        while (level.Length > 1)
        {
            var next = new byte[(level.Length + 1) / 2][];
            for (var i = 0; i < next.Length; i++)
            {
                var left = 2 * i;
                next[i] = left + 1 < level.Length ? HashNode(level[left], level[left + 1]) : level[left];
            }

            levels.Add(next);
            level = next;
        }

        return new MerkleTree(levels);
    }

    /// <summary>The inclusion path of leaf <paramref name="index"/>, from the leaf up.</summary>
    /// <param name="index">Leaf index.</param>
    public IReadOnlyList<MerkleStep> GetPath(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var path = new List<MerkleStep>();
        for (var l = 0; l < _levels.Count - 1; l++)
        {
            var level = _levels[l];
            var sibling = index ^ 1;
            if (sibling < level.Length)
            {
                path.Add(new MerkleStep(level[sibling], SiblingIsLeft: sibling < index));
            }

            index /= 2;
        }

        return path;
    }

    /// <summary>SHA3-256(0x00 || data): the leaf hash of a canonical trace.</summary>
    /// <param name="canonicalTrace">UTF-8 canonical trace JSON.</param>
    public static byte[] HashLeaf(ReadOnlySpan<byte> canonicalTrace)
    {
        var length = canonicalTrace.Length + 1;
        var rented = length <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[1024];
        buffer[0] = 0x00;
        canonicalTrace.CopyTo(buffer[1..]);
        var hash = SHA3_256.HashData(buffer[..length]);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }

    /// <summary>SHA3-256(0x01 || left || right).</summary>
    /// <param name="left">Left child.</param>
    /// <param name="right">Right child.</param>
    public static byte[] HashNode(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * HashSize];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA3_256.HashData(buffer);
    }

    /// <summary>Folds an inclusion path onto a leaf and returns the root it leads to.</summary>
    /// <param name="leaf">The leaf hash.</param>
    /// <param name="path">The path from the leaf up.</param>
    public static byte[] ComputeRoot(ReadOnlySpan<byte> leaf, IEnumerable<MerkleStep> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var current = leaf.ToArray();
        foreach (var step in path)
        {
            current = step.SiblingIsLeft ? HashNode(step.Sibling.Span, current) : HashNode(current, step.Sibling.Span);
        }

        return current;
    }

    /// <summary>Encodes a path compactly for storage: per step one side byte (1 = sibling on the left) and 32 hash bytes.</summary>
    /// <param name="path">The path.</param>
    public static byte[] EncodePath(IReadOnlyList<MerkleStep> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = new byte[path.Count * (1 + HashSize)];
        for (var i = 0; i < path.Count; i++)
        {
            var offset = i * (1 + HashSize);
            bytes[offset] = path[i].SiblingIsLeft ? (byte)1 : (byte)0;
            path[i].Sibling.Span.CopyTo(bytes.AsSpan(offset + 1, HashSize));
        }

        return bytes;
    }

    /// <summary>Decodes <see cref="EncodePath"/>.</summary>
    /// <param name="bytes">Encoded path.</param>
    /// <exception cref="FormatException">The length is not a multiple of 33 bytes.</exception>
    public static IReadOnlyList<MerkleStep> DecodePath(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % (1 + HashSize) != 0) throw new FormatException($"a Merkle path of {bytes.Length} bytes is not a whole number of 33-byte steps");
        var steps = new MerkleStep[bytes.Length / (1 + HashSize)];
        for (var i = 0; i < steps.Length; i++)
        {
            var step = bytes.Slice(i * (1 + HashSize), 1 + HashSize);
            steps[i] = new MerkleStep(step[1..].ToArray(), step[0] == 1);
        }

        return steps;
    }
}

/// <summary>One step of an inclusion path.</summary>
/// <param name="Sibling">The sibling hash at this level.</param>
/// <param name="SiblingIsLeft">True when the sibling is the left child (hash sibling || current).</param>
public readonly record struct MerkleStep(ReadOnlyMemory<byte> Sibling, bool SiblingIsLeft);
