using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Cli.Tests.Commands;

[Collection("Console")]
public sealed class TraceCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "imagingrepo-cli-trace-" + Guid.NewGuid().ToString("N"));

    public TraceCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static Task<int> RunAsync(params string[] args) => CliApplication.CreateRootCommand().Parse(args).InvokeAsync();

    [Fact]
    public async Task Verify_exits_0_when_anchored_1_when_unknown_and_2_when_the_store_was_edited()
    {
        var db = Path.Combine(_dir, "traces.db");
        var ledgerPath = Path.Combine(_dir, "ledger.jsonl");
        var trace = new UseDatasetsTrace
        {
            Id = Guid.NewGuid(), CallerId = "cli-test", Timestamp = 1, UserId = "pseud:v1:" + new string('A', 43), DatasetsIds = ["ds-cli"],
        };
        await using (var outbox = await SqliteTraceOutbox.OpenAsync(db))
        {
            using var ledger = await FileTraceLedger.OpenAsync(ledgerPath);
            await outbox.RecordAsync(trace);
            await using var dispatcher = new TraceDispatcher(outbox, ledger);
            await dispatcher.FlushAsync();
        }

        Assert.Equal(0, await RunAsync("trace", "verify", trace.Id.ToString(), "--outbox", db, "--ledger", ledgerPath));
        Assert.Equal(1, await RunAsync("trace", "verify", Guid.NewGuid().ToString(), "--outbox", db, "--ledger", ledgerPath));
        Assert.Equal(0, await RunAsync("trace", "list", "--outbox", db, "--dataset", "ds-cli"));

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection("Data Source=" + db))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE traces SET json = CAST(REPLACE(CAST(json AS TEXT), 'cli-test', 'cli-tost') AS BLOB)";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(2, await RunAsync("trace", "verify", trace.Id.ToString(), "--outbox", db, "--ledger", ledgerPath));
    }

    [Fact]
    public async Task Hash_prints_the_tree_and_fails_cleanly_on_a_missing_folder()
    {
        var series = Directory.CreateDirectory(Path.Combine(_dir, "ds", "SUBJ", "ST", "SE")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(series, "1.dcm"), [1, 2, 3]);
        var writer = new StringWriter();
        var original = Console.Out;
        Console.SetOut(writer);
        int code;
        try
        {
            code = await RunAsync("trace", "hash", Path.Combine(_dir, "ds"), "--json");
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, code);
        var tree = await DatasetHasher.ComputeAsync(Path.Combine(_dir, "ds"));
        Assert.Contains(Convert.ToBase64String(tree.Images), writer.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await RunAsync("trace", "hash", Path.Combine(_dir, "missing")));
    }
}
