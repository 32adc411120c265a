using System.Numerics;
using ImagingRepo.Tracing.Ledgers;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace ImagingRepo.Tracing.Tests.Ledgers;

/// <summary>The ledger signs its transactions itself (its own Keccak-256, no hex round trips): byte for byte what Nethereum's signer gives.</summary>
public sealed class EthereumSigningTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 100)]
    [InlineData(17, 128_872)] // about the call data of a batch of 500 traces
    public void Sign_gives_the_bytes_of_nethereums_legacy_signer(long nonce, int callDataLength)
    {
        const string contract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        var ledger = new EthereumTraceLedger(new EthereumTraceLedgerOptions
        {
            RpcUrl = new Uri("http://127.0.0.1:1"), ChainId = EthereumLedgerTests.ChainId, PrivateKey = EthereumLedgerTests.AnchorKey, ContractAddress = contract,
        });
        var callData = new byte[callDataLength];
        new Random(callDataLength).NextBytes(callData);
        var gasPrice = new BigInteger(1_875_000_000);
        var gas = new BigInteger(14_150_000);

        var expected = new LegacyTransactionSigner().SignTransaction(
            EthereumLedgerTests.AnchorKey.HexToByteArray(), new BigInteger(EthereumLedgerTests.ChainId), contract, BigInteger.Zero, nonce, gasPrice, gas,
            callData.ToHex(prefix: true));
        Assert.Equal(expected, ledger.Sign(nonce, gasPrice, gas, callData).ToHex());
    }
}
