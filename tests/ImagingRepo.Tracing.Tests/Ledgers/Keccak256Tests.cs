using System.Text;
using ImagingRepo.Tracing.Ledgers;
using Nethereum.Util;

namespace ImagingRepo.Tracing.Tests.Ledgers;

public sealed class Keccak256Tests
{
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("TraceAnchored(bytes16,bytes32,uint8,uint256)", "f99ae638")]
    public void Digests_are_ethereums_keccak(string input, string expectedPrefix)
    {
        var digest = Convert.ToHexStringLower(Keccak256.Hash(Encoding.UTF8.GetBytes(input)));
        Assert.StartsWith(expectedPrefix, digest, StringComparison.Ordinal);
    }

    [Fact]
    public void Digests_match_nethereum_across_the_block_boundaries()
    {
        var random = new Random(42);
        for (var length = 0; length <= 410; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(Sha3Keccack.Current.CalculateHash(data), Keccak256.Hash(data));
        }
    }

    [Fact]
    public void Digests_match_nethereum_on_a_transaction_sized_input()
    {
        var data = new byte[128_872];
        new Random(7).NextBytes(data);
        Assert.Equal(Sha3Keccack.Current.CalculateHash(data), Keccak256.Hash(data));
    }
}
