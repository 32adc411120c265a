using ImagingRepo.TestSupport;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task The_builder_plugin_and_the_di_registration_put_the_outbox_in_postgresql()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        var trace = TestTraces.Create("pg-builder");
        await using (var store = await new TraceStoreBuilder().UsePseudonymizer(TestTraces.Pseudonymizer)
                         .UseSqliteOutbox(_temp.File("not-used.db")) // replaced: the last choice wins
                         .UsePostgreSqlOutbox(connectionString).UseFileLedger(_temp.File("ledger.jsonl")).BuildAsync())
        {
            Assert.IsType<PostgresTraceOutbox>(store.Outbox);
            await store.Outbox.RecordAsync(trace);
            await store.Dispatcher.FlushAsync();
            Assert.Equal(TraceVerificationStatus.Anchored, (await store.Verifier.VerifyAsync(trace)).Status);
        }

        Assert.False(File.Exists(_temp.File("not-used.db")));
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        services.AddImagingRepoTracing(o =>
        {
            o.SqlitePath = _temp.File("not-used.db");
            o.FileLedgerPath = _temp.File("ledger.jsonl");
            o.PseudonymizationKey = Convert.ToBase64String(TestTraces.Key);
        });
        services.AddImagingRepoTracingPostgreSql(connectionString);
        await using var provider = services.BuildServiceProvider();
        var resolved = await provider.GetRequiredService<ImagingRepo.Tracing.DependencyInjection.TraceStoreProvider>().GetStoreAsync();
        Assert.Equal(TraceStatus.Anchored, (await resolved.Outbox.GetAsync(trace.Id))!.Status);
        Assert.False(File.Exists(_temp.File("not-used.db")));
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

    [SkippableFact]
    public async Task Queries_by_dataset_match_ids_with_like_wildcards_exactly()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        await using var outbox = await PostgresTraceOutbox.OpenAsync(connectionString, new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });
        var expected = await DatasetQueryChecks.RecordAsync(outbox);
        await DatasetQueryChecks.AssertExactAsync(outbox, expected);
    }

    [SkippableFact]
    public async Task Queries_by_dataset_stay_exact_while_traces_move_into_batches_and_back()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        await using var outbox = await PostgresTraceOutbox.OpenAsync(connectionString, new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });
        var expected = await DatasetQueryChecks.RecordAsync(outbox);
        await DatasetQueryChecks.AssertExactWhileBatchingAsync(outbox, expected);
    }

    [SkippableFact]
    public async Task A_query_by_dataset_is_a_lookup_in_the_dataset_index()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        await using (var outbox = await PostgresTraceOutbox.OpenAsync(connectionString, new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer }))
        {
            await DatasetQueryChecks.RecordAsync(outbox);
        }

        // A handful of rows would always be scanned; with scans priced out the plan shows whether an index can serve.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand("SET enable_seqscan = off", connection)) await off.ExecuteNonQueryAsync();
        foreach (var query in new[] { new TraceListQuery(DatasetId: "a_b"), new TraceListQuery(TraceStatus.Waiting, "a_b", TraceUserAction.UseDatasets, 5, 10) })
        {
            var (sql, parameters) = OutboxSql.BuildListQuery(query);
            await using var command = new NpgsqlCommand("EXPLAIN " + sql, connection);
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name.TrimStart('@'), value);
            var plan = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
            }

            var text = string.Join("\n", plan);
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, @"(Index (Only )?Scan using trace_datasets_pkey on trace_datasets d|Bitmap Index Scan on trace_datasets_pkey)"), text);
            Assert.Contains("Index Cond: ((dataset_id = ", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task Traces_anchored_with_the_original_canonical_form_still_verify_as_anchored_after_the_migration()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        var options = new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer };
        await using (await PostgresTraceOutbox.OpenAsync(connectionString, options))
        {
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await OriginalFormChecks.WriteVersion1DatabaseAsync(connection);
        }

        await using var migrated = await PostgresTraceOutbox.OpenAsync(connectionString, options);
        await OriginalFormChecks.AssertTheyVerifyAsAnchoredAsync(migrated, _temp.File("ledger.jsonl"));
    }

    [SkippableFact]
    public async Task An_outbox_without_the_dataset_index_gets_it_filled_on_open()
    {
        _postgres.Require();
        var connectionString = await FreshSchemaAsync();
        var options = new TraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer };
        Dictionary<string, List<Guid>> expected;
        await using (var outbox = await PostgresTraceOutbox.OpenAsync(connectionString, options))
        {
            expected = await DatasetQueryChecks.RecordAsync(outbox);
        }

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("DROP TABLE trace_datasets; DROP TABLE outbox_schema; ALTER TABLE traces DROP COLUMN canonical_form", connection);
            await drop.ExecuteNonQueryAsync();
        }

        // Two replicas opening the old database at once: one migrates, the other waits and finds it done.
        var opened = await Task.WhenAll(PostgresTraceOutbox.OpenAsync(connectionString, options), PostgresTraceOutbox.OpenAsync(connectionString, options));
        foreach (var outbox in opened)
        {
            await DatasetQueryChecks.AssertExactAsync(outbox, expected);
            await outbox.DisposeAsync();
        }
    }
}
