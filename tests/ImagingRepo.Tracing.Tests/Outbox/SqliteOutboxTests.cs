using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Tracing.Tests.Outbox;

public sealed class SqliteOutboxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private Task<SqliteTraceOutbox> OpenAsync() =>
        SqliteTraceOutbox.OpenAsync(_temp.File("outbox.db"), new SqliteTraceOutboxOptions { Pseudonymizer = TestTraces.Pseudonymizer });

    [Fact]
    public async Task Record_anchor_verify_on_the_file_ledger()
    {
        await using var outbox = await OpenAsync();
        using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        var traces = Enumerable.Range(0, 10).Select(i => (Trace)TestTraces.Create("ds-" + (i % 3))).ToList();
        await Task.WhenAll(traces.Select(t => outbox.RecordAsync(t)));
        Assert.Equal(10, (await outbox.CountAsync()).Waiting);

        await using var dispatcher = new TraceDispatcher(outbox, ledger, new TraceDispatcherOptions { MaxBatchSize = 4 });
        await dispatcher.FlushAsync();
        var counts = await outbox.CountAsync();
        Assert.Equal(10, counts.Anchored);
        Assert.Equal(3, ledger.Count); // 4 + 4 + 2

        var verifier = new TraceVerifier(outbox, ledger, TestTraces.Pseudonymizer);
        foreach (var trace in traces)
        {
            var result = await verifier.VerifyAsync(trace); // with the plain user id: pseudonymized the same way
            Assert.Equal(TraceVerificationStatus.Anchored, result.Status);
            var proof = TraceProof.Parse(result.Proof!.ToJson());
            Assert.True(proof.VerifyInclusion());
            Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyProofAsync(proof)).Status);
        }

        var tampered = ((CreateDatasetTrace)traces[0]) with { DatasetId = "someone-else" };
        Assert.Equal(TraceVerificationStatus.Tampered, (await verifier.VerifyAsync(tampered)).Status);
        Assert.Equal(TraceVerificationStatus.NotAnchored, (await verifier.VerifyAsync(TestTraces.Create("never"))).Status);

        var proofFile = _temp.File("proof.json");
        var exported = (await verifier.ExportProofAsync(traces[1].Id))!;
        await File.WriteAllTextAsync(proofFile, exported.ToJson());
        Assert.Equal(0, await ImagingRepo.Tracing.Tests.Proofs.OfflineVerifier.RunAsync(proofFile));
        var forged = exported with { Trace = exported.Trace.Replace("ds-1", "ds-2", StringComparison.Ordinal) };
        Assert.False(forged.VerifyInclusion());
        await File.WriteAllTextAsync(proofFile, forged.ToJson());
        Assert.Equal(1, await ImagingRepo.Tracing.Tests.Proofs.OfflineVerifier.RunAsync(proofFile));

        var byDataset = await outbox.ListAsync(new TraceListQuery(DatasetId: "ds-1"));
        Assert.Equal(traces.Where((_, i) => i % 3 == 1).Select(t => t.Id).Order(), byDataset.Select(r => r.Trace.Id).Order());
    }

    [Fact]
    public async Task A_dataset_id_holding_a_bar_is_anchored_under_its_own_key()
    {
        await using var outbox = await OpenAsync();
        using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        var trace = TestTraces.Use("a|b", "c", "a|b");
        await outbox.RecordAsync(trace);
        await using (var dispatcher = new TraceDispatcher(outbox, ledger))
        {
            await dispatcher.FlushAsync();
        }

        Assert.Equal(TraceStatus.Anchored, (await outbox.GetAsync(trace.Id))!.Status);
        async Task<List<Guid>> AnchoredUnder(string datasetId)
        {
            var found = new List<Guid>();
            await foreach (var entry in ledger.QueryAsync(new LedgerQuery(DatasetId: datasetId))) found.Add(entry.TraceId);
            return found;
        }

        Assert.Equal([trace.Id], await AnchoredUnder("a|b"));
        Assert.Equal([trace.Id], await AnchoredUnder("c"));
        Assert.Empty(await AnchoredUnder("a"));
        Assert.Empty(await AnchoredUnder("b"));
    }

    [Fact]
    public async Task Statuses_are_stored_as_the_enums_values()
    {
        await using var outbox = await OpenAsync();
        using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        var trace = TestTraces.Create("ds-status");
        await outbox.RecordAsync(trace);

        async Task<(long Trace, long? Batch)> StoredAsync()
        {
            await using var connection = new SqliteConnection("Data Source=" + _temp.File("outbox.db"));
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT t.status, b.state FROM traces t LEFT JOIN batches b ON b.id = t.batch_id WHERE t.id = @id";
            command.Parameters.AddWithValue("@id", trace.Id.ToString("D"));
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
        }

        Assert.Equal(((long)TraceStatus.Waiting, (long?)null), await StoredAsync());
        await outbox.Batches.CreateBatchAsync(10, default);
        Assert.Equal(((long)TraceStatus.Submitted, (long?)BatchState.Open), await StoredAsync());
        var batch = (await outbox.Batches.GetOpenBatchesAsync(default)).Single();
        await outbox.Batches.MarkFailedAsync(batch.Id, "refused", default);
        Assert.Equal(((long)TraceStatus.Failed, (long?)BatchState.Failed), await StoredAsync());
        Assert.Equal(1, await outbox.RetryFailedAsync());
        Assert.Equal(((long)TraceStatus.Waiting, (long?)null), await StoredAsync());
        await using (var dispatcher = new TraceDispatcher(outbox, ledger))
        {
            await dispatcher.FlushAsync();
        }

        Assert.Equal(((long)TraceStatus.Anchored, (long?)BatchState.Anchored), await StoredAsync());
    }

    [Fact]
    public async Task Queries_by_dataset_match_ids_with_like_wildcards_exactly()
    {
        await using var outbox = await OpenAsync();
        var expected = await DatasetQueryChecks.RecordAsync(outbox);
        await DatasetQueryChecks.AssertExactAsync(outbox, expected);
    }

    [Fact]
    public async Task Queries_by_dataset_stay_exact_while_traces_move_into_batches_and_back()
    {
        await using var outbox = await OpenAsync();
        var expected = await DatasetQueryChecks.RecordAsync(outbox);
        await DatasetQueryChecks.AssertExactWhileBatchingAsync(outbox, expected);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(TraceStatus.Waiting, null)]
    [InlineData(TraceStatus.Anchored, TraceUserAction.UseDatasets)]
    public async Task A_query_by_dataset_is_a_lookup_in_the_dataset_and_status_indexes(TraceStatus? status, TraceUserAction? action)
    {
        await using (var outbox = await OpenAsync())
        {
            await DatasetQueryChecks.RecordAsync(outbox);
        }

        var (sql, parameters) = OutboxSql.BuildListQuery(new TraceListQuery(status, "a_b", action, 0, 10));
        await using var connection = new SqliteConnection("Data Source=" + _temp.File("outbox.db"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        }

        // The traces in batches through the index, the waiting ones through the status index, merged in sequence order.
        var text = string.Join("\n", plan);
        Assert.True(plan[0] == "MERGE (UNION ALL)", text);
        Assert.True(text.Contains("SEARCH d USING PRIMARY KEY (dataset_id=? AND trace_seq>?)", StringComparison.Ordinal), text);
        Assert.True(text.Contains("SEARCH t USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), text);
        Assert.True(text.Contains("SEARCH t USING INDEX traces_status (status=? AND seq>?)", StringComparison.Ordinal), text);
        Assert.False(text.Contains("SCAN", StringComparison.Ordinal), text);
        Assert.False(text.Contains("TEMP B-TREE", StringComparison.Ordinal), text); // the order comes from the indexes
    }

    [Fact]
    public async Task An_outbox_without_the_dataset_index_gets_it_filled_on_open()
    {
        Dictionary<string, List<Guid>> expected;
        await using (var outbox = await OpenAsync())
        {
            expected = await DatasetQueryChecks.RecordAsync(outbox);
        }

        // What a database written before the index existed looks like.
        await using (var connection = new SqliteConnection("Data Source=" + _temp.File("outbox.db")))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE trace_datasets; DROP TABLE outbox_schema; ALTER TABLE traces DROP COLUMN canonical_form";
            await drop.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        await using (var reopened = await OpenAsync())
        {
            await DatasetQueryChecks.AssertExactAsync(reopened, expected);
            var later = TestTraces.Create("a_b");
            await reopened.RecordAsync(later);
            expected["a_b"].Add(later.Id);
        }

        SqliteConnection.ClearAllPools();
        await using var again = await OpenAsync(); // migrated once: nothing is added twice
        await DatasetQueryChecks.AssertExactAsync(again, expected);
    }

    [Fact]
    public async Task Traces_anchored_with_the_original_canonical_form_still_verify_as_anchored_after_the_migration()
    {
        await using (await OpenAsync())
        {
        }

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection("Data Source=" + _temp.File("outbox.db")))
        {
            await connection.OpenAsync();
            await OriginalFormChecks.WriteVersion1DatabaseAsync(connection);
        }

        SqliteConnection.ClearAllPools();
        await using var migrated = await OpenAsync();
        await OriginalFormChecks.AssertTheyVerifyAsAnchoredAsync(migrated, _temp.File("ledger.jsonl"));
    }

    [Fact]
    public async Task Stored_user_ids_are_pseudonyms_and_plain_ones_are_refused_without_a_pseudonymizer()
    {
        await using (var outbox = await OpenAsync())
        {
            await outbox.RecordAsync(TestTraces.Create("ds"));
            await outbox.RecordAsync(TestTraces.Update("ds"));
        }

        SqliteConnection.ClearAllPools();
        var bytes = await File.ReadAllBytesAsync(_temp.File("outbox.db"));
        var wal = File.Exists(_temp.File("outbox.db-wal")) ? await File.ReadAllBytesAsync(_temp.File("outbox.db-wal")) : [];
        foreach (var secret in new[] { TestTraces.Email, TestTraces.Username })
        {
            Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, System.Text.Encoding.UTF8.GetString(wal), StringComparison.Ordinal);
        }

        await using var plain = await SqliteTraceOutbox.OpenAsync(_temp.File("plain.db"));
        var e = await Assert.ThrowsAsync<TraceFormatException>(() => plain.RecordAsync(TestTraces.Create("ds")));
        Assert.Contains("userId", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_trace_twice_is_stored_once_and_a_conflicting_one_is_refused()
    {
        await using var outbox = await OpenAsync();
        var trace = TestTraces.Create("ds");
        await outbox.RecordAsync(trace);
        await outbox.RecordAsync(trace);
        await Assert.ThrowsAsync<DuplicateTraceException>(() => outbox.RecordAsync(trace with { DatasetId = "other" }));
        Assert.Equal(1, (await outbox.CountAsync()).Total);
    }

    [Fact]
    public async Task Edits_of_the_local_store_are_detected()
    {
        var trace = TestTraces.Create("ds");
        await using (var outbox = await OpenAsync())
        {
            using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
            await outbox.RecordAsync(trace);
            await using var dispatcher = new TraceDispatcher(outbox, ledger);
            await dispatcher.FlushAsync();
        }

        await using (var connection = new SqliteConnection("Data Source=" + _temp.File("outbox.db")))
        {
            await connection.OpenAsync();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE traces SET json = CAST(REPLACE(CAST(json AS TEXT), '\"ds\"', '\"dx\"') AS BLOB)";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await using var reopened = await OpenAsync();
        using var ledger2 = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        var verifier = new TraceVerifier(reopened, ledger2);
        Assert.Equal(TraceVerificationStatus.Tampered, (await verifier.VerifyStoredAsync(trace.Id)).Status);
    }

    [Fact]
    public async Task Background_dispatcher_closes_batches_by_window_and_resumes_after_restart()
    {
        var ids = new List<Guid>();
        await using (var outbox = await OpenAsync())
        {
            for (var i = 0; i < 5; i++)
            {
                var t = TestTraces.Use("ds");
                ids.Add(t.Id);
                await outbox.RecordAsync(t);
            }
        } // "restart": nothing anchored yet

        await using var again = await OpenAsync();
        using var ledger = await FileTraceLedger.OpenAsync(_temp.File("ledger.jsonl"));
        await using var dispatcher = new TraceDispatcher(again, ledger, new TraceDispatcherOptions { Window = TimeSpan.FromMilliseconds(100), PollInterval = TimeSpan.FromMilliseconds(20) });
        dispatcher.Start();
        var t2 = TestTraces.Use("ds");
        await again.RecordAsync(t2);
        for (var i = 0; i < 200 && (await again.CountAsync()).Anchored < 6; i++) await Task.Delay(25);
        Assert.Equal(6, (await again.CountAsync()).Anchored);
    }
}
