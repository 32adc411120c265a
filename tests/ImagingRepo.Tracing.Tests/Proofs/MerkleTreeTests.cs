using System.Security.Cryptography;
using ImagingRepo.Tracing.Proofs;

namespace ImagingRepo.Tracing.Tests.Proofs;

public class MerkleTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void Every_leaf_path_leads_to_the_root_and_no_other_leaf_does(int count)
    {
        var leaves = Enumerable.Range(0, count).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i))).ToList();
        var tree = MerkleTree.Build(leaves);
        for (var i = 0; i < count; i++)
        {
            var path = tree.GetPath(i);
            Assert.Equal(tree.Root.ToArray(), MerkleTree.ComputeRoot(leaves[i], path));
            Assert.Equal(path.Count, MerkleTree.DecodePath(MerkleTree.EncodePath(path)).Count);
            var other = MerkleTree.HashLeaf(BitConverter.GetBytes(i + 1000));
            Assert.NotEqual(tree.Root.ToArray(), MerkleTree.ComputeRoot(other, path));
        }
    }

    [Fact]
    public void Matches_an_independent_computation_of_the_documented_rule()
    {
        var a = MerkleTree.HashLeaf("a"u8);
        var b = MerkleTree.HashLeaf("b"u8);
        var c = MerkleTree.HashLeaf("c"u8);
        Assert.Equal(SHA3_256.HashData([0x00, (byte)'a']), a);
        var ab = SHA3_256.HashData([0x01, .. a, .. b]);
        var expected = SHA3_256.HashData([0x01, .. ab, .. c]); // odd node c moves up unchanged
        Assert.Equal(expected, MerkleTree.Build([a, b, c]).Root.ToArray());
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MerkleTree.Build([]));
        Assert.Throws<ArgumentException>(() => MerkleTree.Build([new byte[31]]));
        Assert.Throws<FormatException>(() => MerkleTree.DecodePath(new byte[34]));
    }
}
