using System.Text.RegularExpressions;
using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Ledgers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>
/// <c>trace</c> on the plugin stores: a PostgreSQL outbox (<c>--postgres</c>) and the Ethereum ledger (<c>--rpc</c>),
/// which the command opens through the same builder an application uses.
/// </summary>
[Collection("Console")]
public sealed partial class TraceCommandServerTests : IClassFixture<PostgresServer>, IClassFixture<HardhatServer>, IDisposable
{
    // Hardhat's publicly known development account #9 (funded on every dev node; not a secret).
    private const string DevKey = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

    private readonly PostgresServer _postgres;
    private readonly HardhatServer _hardhat;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "imagingrepo-cli-trace-servers-" + Guid.NewGuid().ToString("N"));

    public TraceCommandServerTests(PostgresServer postgres, HardhatServer hardhat)
    {
        (_postgres, _hardhat) = (postgres, hardhat);
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [SkippableFact]
    public async Task Record_list_and_verify_on_a_postgresql_outbox_and_the_ethereum_ledger()
    {
        _postgres.Require();
        _hardhat.Require();
        var schema = "cli_trace_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(_postgres.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var outbox = new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { SearchPath = schema }.ToString();
        var (contract, block) = await EthereumTraceLedger.DeployAsync(new Uri(_hardhat.RpcUrl), 31337, DevKey);
        string[] store =
        [
            "--postgres", outbox, "--rpc", _hardhat.RpcUrl, "--contract", contract, "--chain-id", "31337",
            "--from-block", block.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        var series = Directory.CreateDirectory(Path.Combine(_dir, "ds-pg-eth", "SUBJ", "ST", "SE")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(series, "1.dcm"), [1, 2, 3]);
        var keyFile = Path.Combine(_dir, "traces.key");
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()));

        Environment.SetEnvironmentVariable("IMAGINGREPO_ETH_PRIVATE_KEY", DevKey);
        (int Code, string Out) recorded;
        try
        {
            recorded = await RunCapturedAsync(["trace", "record", Path.Combine(_dir, "ds-pg-eth"), .. store, "--key-file", keyFile]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("IMAGINGREPO_ETH_PRIVATE_KEY", null);
        }

        Assert.True(recorded.Code == 0, recorded.Out);
        Assert.Contains("Anchored in ledger batch 1", recorded.Out, StringComparison.Ordinal);
        var id = GuidPattern().Match(recorded.Out).Value;

        // reading needs no key: the ledger only reads
        var listed = await RunCapturedAsync(["trace", "list", "--dataset", "ds-pg-eth", "--json", .. store]);
        Assert.Equal(0, listed.Code);
        Assert.Contains(id, listed.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await RunCapturedAsync(["trace", "verify", id, .. store])).Code);
        Assert.False(File.Exists(Path.Combine(_dir, "traces.db")), "with --postgres no SQLite outbox is made");
    }

    private static async Task<(int Code, string Out)> RunCapturedAsync(params string[] args)
    {
        var output = new StringWriter();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var code = await CliApplication.CreateRootCommand().Parse(args).InvokeAsync();
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();
}
