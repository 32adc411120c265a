using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Tracing.Tests.Infrastructure;

/// <summary>Proves the Hardhat harness with plain JSON-RPC: the expected chain, funded accounts, mining.</summary>
public sealed class HardhatServerTests(HardhatServer server) : IClassFixture<HardhatServer>
{
    [SkippableFact]
    public async Task Chain_id_is_the_hardhat_dev_chain()
    {
        server.Require();
        using var http = new HttpClient();

        var chainId = await CallAsync(http, "eth_chainId");

        Assert.Equal(31337, ParseQuantity(chainId.GetString()!));
    }

    [SkippableFact]
    public async Task First_dev_account_is_funded_and_blocks_are_mined()
    {
        server.Require();
        using var http = new HttpClient();

        var accounts = await CallAsync(http, "eth_accounts");
        Assert.True(accounts.GetArrayLength() > 0, "the dev node lists no accounts");
        var first = accounts[0].GetString()!;
        Assert.Matches("^0x[0-9a-f]{40}$", first);

        var balance = ParseQuantity((await CallAsync(http, "eth_getBalance", first, "latest")).GetString()!);
        Assert.True(balance >= BigInteger.Pow(10, 18), $"account {first} holds only {balance} wei");

        var before = ParseQuantity((await CallAsync(http, "eth_blockNumber")).GetString()!);
        await CallAsync(http, "evm_mine");
        var after = ParseQuantity((await CallAsync(http, "eth_blockNumber")).GetString()!);
        // other test classes share the node and may mine blocks of their own in between
        Assert.True(after >= before + 1, $"evm_mine left the chain at block {after} (it was at {before})");
    }

    private async Task<JsonElement> CallAsync(HttpClient http, string method, params object[] parameters)
    {
        using var response = await http.PostAsJsonAsync(
            server.RpcUrl, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.False(root.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return root.GetProperty("result").Clone();
    }

    private static BigInteger ParseQuantity(string hex)
    {
        Assert.StartsWith("0x", hex, StringComparison.Ordinal);
        return BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
