using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Hashing;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using ImagingRepo.TestSupport;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Tracing.Tests;

/// <summary>The quick start of docs/tracing.md, compiled and run, and compared with the page so that neither drifts.</summary>
public sealed class DocsExamples : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    [Fact]
    public async Task Quick_start_records_an_anchored_trace()
    {
        var keyFromYourSecretStore = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var stateFolder = _temp.Path;
        var datasetFolder = Directory.CreateDirectory(Path.Combine(_temp.Path, "dataset", "SUBJ", "ST", "SE")).Parent!.Parent!.Parent!.FullName;
        await File.WriteAllBytesAsync(Path.Combine(datasetFolder, "SUBJ", "ST", "SE", "1.dcm"), [1, 2, 3]);
        var datasetId = "7f3c";

        // --- docs: quick start ---
        // yours: keyFromYourSecretStore (>= 32 random bytes), stateFolder, datasetFolder and datasetId
        await using var store = await new TraceStoreBuilder()
            .UsePseudonymizationKey(keyFromYourSecretStore)                  // user ids are stored as keyed pseudonyms
            .UseSqliteOutbox(Path.Combine(stateFolder, "traces.db"))         // or .UsePostgreSqlOutbox(…) (ImagingRepo.Tracing.PostgreSql)
            .UseFileLedger(Path.Combine(stateFolder, "traces.ledger.jsonl")) // or .UseEthereumLedger(…) (ImagingRepo.Tracing.Ethereum)
            .UseDispatcherOptions(new TraceDispatcherOptions { MaxBatchSize = 500, Window = TimeSpan.FromSeconds(1) })
            .BuildAsync();                                                   // one object owning outbox, ledger and dispatcher
        store.Dispatcher.Start();                                            // anchors in the background, batch by batch

        var tree = await DatasetHasher.ComputeAsync(datasetFolder);          // index, clinicalData, images
        var trace = new CreateDatasetTrace
        {
            Id = Guid.NewGuid(), CallerId = "dataset-service",
            Timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = "maria.garcia@hospital.example",                        // stored as a pseudonym
            DatasetId = datasetId, TraceResources = tree.ToTraceResources(),
        };
        await store.Outbox.RecordAsync(trace);                               // returns once on disk
        await store.Dispatcher.FlushAsync();                                 // anchored now, not within the window

        var result = await store.Verifier.VerifyAsync(trace); // Anchored | NotAnchored | Tampered, with a reason
        File.WriteAllText(Path.Combine(stateFolder, "proof.json"), result.Proof!.ToJson());
        // --- end ---

        Assert.Equal(TraceVerificationStatus.Anchored, result.Status);
        Assert.True(File.Exists(Path.Combine(stateFolder, "proof.json")));
    }

    [Fact]
    public void The_quick_start_on_the_page_is_the_one_this_test_runs()
    {
        var page = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "tracing.md")).ReplaceLineEndings("\n");
        var start = page.IndexOf("## Quick start\n\n```csharp\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/tracing.md has no C# quick start");
        start = page.IndexOf('\n', page.IndexOf("```csharp", start, StringComparison.Ordinal)) + 1;
        var block = page[start..page.IndexOf("```", start, StringComparison.Ordinal)].Split('\n');

        var source = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "ImagingRepo.Tracing.Tests", "DocsExamples.cs")).ReplaceLineEndings("\n");
        var from = source.IndexOf("// --- docs: quick start ---\n", StringComparison.Ordinal) + "// --- docs: quick start ---\n".Length;
        var region = source[from..source.IndexOf("        // --- end ---", from, StringComparison.Ordinal)].Split('\n')
            .Select(line => line.Length >= 8 ? line[8..] : line.Trim());

        var usings = block.TakeWhile(line => line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("using var ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(usings);
        Assert.All(usings, line => Assert.Contains("\n" + line + "\n", "\n" + source, StringComparison.Ordinal));
        var code = block.Skip(usings.Count).SkipWhile(line => line.Length == 0);
        Assert.Equal(string.Join('\n', code).TrimEnd(), string.Join('\n', region).TrimEnd());
    }
}
