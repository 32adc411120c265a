using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Npgsql;

namespace ImagingRepo.Tracing.Tests.Outbox;

/// <summary>The outbox on a real PostgreSQL (<c>scripts/services/postgres.sh</c>), each test in its own schema.</summary>
public sealed class PostgresOutboxTests : IClassFixture<PostgresServer>, IDisposable
{
    private readonly PostgresServer _postgres;
    private readonly TempDirectory _temp = new();

    public PostgresOutboxTests(PostgresServer postgres) => _postgres = postgres;

    public void Dispose() => _temp.Dispose();

    private async Task<string> FreshSchemaAsync()
    {
        var schema = "tracing_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(_postgres.ConnectionString) { SearchPath = schema }.ToString();
    }

    [SkippableFact]
    public async Task Records_concurrently_anchors_verifies_and_survives_a_reopen()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        var options = new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer };
        var traces = Enumerable.Range(0, 200).Select(i => TestTraces.Create("pg-" + (i % 4))).ToList();
        await using (var outbox = await PostgresTraceOutbox.OpenAsync(connectionString, options))
        {
            await Task.WhenAll(traces.Select(t => Task.Run(() => outbox.RecordAsync(t))));
            await outbox.RecordAsync(traces[0]); // idempotent
            await Assert.ThrowsAsync<DuplicateTraceException>(() => outbox.RecordAsync(traces[0] with { DatasetId = "other" }));
            Assert.Equal(200, (await outbox.CountAsync()).Waiting);
        }

        await using var reopened = await PostgresTraceOutbox.OpenAsync(connectionString, options);
        using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        await using (var dispatcher = new TraceDispatcher(reopened, ledger, new TraceDispatcherOptions { MaxBatchSize = 64 }))
        {
            await dispatcher.FlushAsync();
        }

        Assert.Equal(200, (await reopened.CountAsync()).Anchored);
        Assert.Equal(4, ledger.Count);
        var verifier = new TraceVerifier(reopened, ledger, TestTraces.Pseudonymizer);
        Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyAsync(traces[17])).Status);
        Assert.Equal(TraceVerificationStatus.Tampered, (await verifier.VerifyAsync(traces[17] with { DatasetId = "x" })).Status);
        Assert.Equal(50, (await reopened.ListAsync(new TraceListQuery(DatasetId: "pg-2", Limit: 1000))).Count);
    }
}
