using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Cli.Tests.Commands;

[Collection("Console")]
public sealed partial class TraceCommandTests : IDisposable
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

    /// <summary>Runs the CLI in-process with both console streams captured.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunCapturedAsync(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (originalOut, originalError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await RunAsync(args);
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }

    private string MakeDataset()
    {
        var series = Directory.CreateDirectory(Path.Combine(_dir, "ds-42", "SUBJ", "ST", "SE")).FullName;
        File.WriteAllBytes(Path.Combine(series, "1.dcm"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(series, "2.dcm"), [4, 5, 6]);
        return Path.Combine(_dir, "ds-42");
    }

    private string[] Store => ["--outbox", Path.Combine(_dir, "traces.db"), "--ledger", Path.Combine(_dir, "traces.ledger.jsonl")];

    private async Task<Guid> RecordAsync(string dataset)
    {
        var (code, stdout, stderr) = await RunCapturedAsync(["trace", "record", dataset, .. Store, "--user", "maria@hospital.example"]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("CREATE_DATASET", stdout, StringComparison.Ordinal);
        Assert.Contains("Anchored", stdout, StringComparison.Ordinal);
        return Guid.Parse(GuidPattern().Match(stdout).Value);
    }

    [Fact]
    public async Task Record_anchors_a_CREATE_DATASET_trace_and_hash_check_tells_match_from_mismatch()
    {
        var dataset = MakeDataset();
        var id = await RecordAsync(dataset);
        Assert.True(File.Exists(Path.Combine(_dir, "traces.key")), "the embedded pseudonymization key is kept beside the outbox");

        Assert.Equal(0, (await RunCapturedAsync(["trace", "verify", id.ToString(), .. Store])).ExitCode);
        var match = await RunCapturedAsync(["trace", "hash", dataset, "--check", id.ToString(), .. Store]);
        Assert.True(match.ExitCode == 0, match.Stdout + match.Stderr);
        Assert.Contains("match", match.Stdout, StringComparison.Ordinal);

        await File.WriteAllBytesAsync(Path.Combine(dataset, "SUBJ", "ST", "SE", "2.dcm"), [4, 5, 7]);
        var mismatch = await RunCapturedAsync(["trace", "hash", dataset, "--check", id.ToString(), .. Store]);
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("images", mismatch.Stdout + mismatch.Stderr, StringComparison.Ordinal);

        Assert.Equal(3, (await RunCapturedAsync(["trace", "hash", dataset, "--check", Guid.NewGuid().ToString(), .. Store])).ExitCode);
    }

    [Fact]
    public async Task List_show_and_verify_never_create_an_outbox()
    {
        var db = Path.Combine(_dir, "none.db");
        foreach (var args in new string[][] { ["trace", "list"], ["trace", "show", Guid.NewGuid().ToString()], ["trace", "verify", Guid.NewGuid().ToString()],
                     ["trace", "hash", _dir, "--check", Guid.NewGuid().ToString()] })
        {
            var (code, _, stderr) = await RunCapturedAsync([.. args, "--outbox", db, "--ledger", Path.Combine(_dir, "none.jsonl")]);
            Assert.Equal(3, code);
            Assert.Contains("no trace outbox at", stderr, StringComparison.Ordinal);
            Assert.False(File.Exists(db), string.Join(' ', args) + " created the outbox");
        }
    }

    [Fact]
    public async Task An_exported_proof_is_verified_against_the_ledger_without_an_outbox()
    {
        var id = await RecordAsync(MakeDataset());
        var (_, shown, _) = await RunCapturedAsync(["trace", "show", id.ToString(), "--json", .. Store]);
        var proof = Path.Combine(_dir, "proof.json");
        await File.WriteAllTextAsync(proof, JsonDocument.Parse(shown).RootElement.GetProperty("proof").GetRawText());

        var none = Path.Combine(_dir, "elsewhere.db");
        var (code, stdout, stderr) = await RunCapturedAsync("trace", "verify", "--proof", proof, "--outbox", none, "--ledger", Path.Combine(_dir, "traces.ledger.jsonl"));
        Assert.True(code == 0, stdout + stderr);
        Assert.StartsWith("anchored", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(none));
    }

    [Fact]
    public async Task A_tampered_ledger_gives_a_clear_message_and_exit_2()
    {
        var id = await RecordAsync(MakeDataset());
        var ledger = Path.Combine(_dir, "traces.ledger.jsonl");
        var text = await File.ReadAllTextAsync(ledger);
        var at = text.IndexOf("\"root\":\"", StringComparison.Ordinal) + 8; // one hex digit of the anchored root changed
        await File.WriteAllTextAsync(ledger, text[..at] + (text[at] == 'a' ? 'b' : 'a') + text[(at + 1)..]);

        foreach (var command in new[] { "verify", "show" })
        {
            var (code, stdout, stderr) = await RunCapturedAsync(["trace", command, id.ToString(), .. Store]);
            Assert.Equal(2, code);
            Assert.Contains("tampered", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task List_and_show_print_CHAIMELEON_action_names_whole_ids_and_json()
    {
        var id = await RecordAsync(MakeDataset());

        var (code, stdout, _) = await RunCapturedAsync(["trace", "list", .. Store]);
        Assert.Equal(0, code);
        var row = Assert.Single(stdout.Split('\n'), line => line.Contains(id.ToString("D"), StringComparison.Ordinal)); // not wrapped
        Assert.Contains("CREATE_DATASET", row, StringComparison.Ordinal);
        Assert.Contains("ds-42", row, StringComparison.Ordinal);

        (code, stdout, _) = await RunCapturedAsync(["trace", "list", "--json", .. Store]);
        Assert.Equal(0, code);
        var listed = Assert.Single(JsonDocument.Parse(stdout).RootElement.EnumerateArray());
        Assert.Equal(id.ToString("D"), listed.GetProperty("id").GetString());
        Assert.Equal("CREATE_DATASET", listed.GetProperty("action").GetString());
        Assert.Equal("Anchored", listed.GetProperty("status").GetString());

        (code, stdout, _) = await RunCapturedAsync(["trace", "show", id.ToString(), "--json", .. Store]);
        Assert.Equal(0, code);
        var shown = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("CREATE_DATASET", shown.GetProperty("trace").GetProperty("userAction").GetString());
        Assert.Equal("Anchored", shown.GetProperty("status").GetString());
        Assert.Equal(id.ToString("D"), shown.GetProperty("proof").GetProperty("traceId").GetString());
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex GuidPattern();

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
