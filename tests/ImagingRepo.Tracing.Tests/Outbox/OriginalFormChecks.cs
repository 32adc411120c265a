using System.Data.Common;
using System.Globalization;
using System.Text;
using ImagingRepo.Tracing.Ledgers;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Proofs;
using ImagingRepo.Tracing.Tests.Compatibility;

namespace ImagingRepo.Tracing.Tests.Outbox;

/// <summary>
/// Traces recorded before the canonical form was fixed, in a database of schema version 1, checked after the
/// migration: the same steps on SQLite and PostgreSQL.
/// </summary>
internal static class OriginalFormChecks
{
    /// <summary>
    /// Turns an empty outbox of this version into one of schema version 1 (the same tables without
    /// <c>traces.canonical_form</c>) holding the traces of canonical-original.jsonl as version 1 stored them: the
    /// original canonical bytes, their leaf, waiting.
    /// </summary>
    public static async Task WriteVersion1DatabaseAsync(DbConnection connection)
    {
        await ExecuteAsync(connection, "ALTER TABLE traces DROP COLUMN canonical_form");
        await ExecuteAsync(connection, "DELETE FROM outbox_schema");
        await ExecuteAsync(connection, "INSERT INTO outbox_schema (version) VALUES (1)");
        foreach (var line in Fixtures.Lines("canonical-original.jsonl"))
        {
            var json = Encoding.UTF8.GetBytes(line);
            var trace = TraceSerializer.Deserialize(json);
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO traces (id, action, datasets, json, leaf, status, recorded_ms) VALUES (@i, @a, @d, @j, @l, 0, @t) RETURNING seq";
            Add(insert, "@i", trace.Id.ToString("D"));
            Add(insert, "@a", (int)trace.UserAction);
            Add(insert, "@d", "|" + string.Join('|', trace.ReferencedDatasetIds) + "|");
            Add(insert, "@j", json);
            Add(insert, "@l", MerkleTree.HashLeaf(json));
            Add(insert, "@t", 1_711_353_060_000L);
            var seq = Convert.ToInt64(await insert.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            foreach (var dataset in trace.ReferencedDatasetIds.Distinct())
            {
                using var index = connection.CreateCommand();
                index.CommandText = "INSERT INTO trace_datasets (dataset_id, trace_seq) VALUES (@ds, @seq)";
                Add(index, "@ds", dataset);
                Add(index, "@seq", seq);
                await index.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>
    /// Anchors what waits (the original-form traces and one recorded now) and checks that every trace verifies as
    /// anchored against the form it was recorded with: presented with its plain user id (pseudonymized as version 1
    /// did), as stored, and as stored in the database; that a changed one is tampered; that recording it again is no
    /// conflict; and that the new trace is in the documented form.
    /// </summary>
    public static async Task AssertTheyVerifyAsAnchoredAsync(TraceOutbox outbox, string ledgerPath)
    {
        using var ledger = await FileTraceLedger.OpenAsync(ledgerPath);
        var fresh = TestTraces.Create("after-migration");
        await outbox.RecordAsync(fresh);
        await using (var dispatcher = new TraceDispatcher(outbox, ledger))
        {
            await dispatcher.FlushAsync();
        }

        var verifier = new TraceVerifier(outbox, ledger, TestTraces.Pseudonymizer);
        foreach (var line in Fixtures.Lines("canonical-original.jsonl"))
        {
            var stored = TraceSerializer.Deserialize(Encoding.UTF8.GetBytes(line));
            var record = await outbox.GetAsync(stored.Id);
            Assert.Equal(TraceCanonicalForm.Original, record!.CanonicalForm);
            Assert.Equal(line, Encoding.UTF8.GetString(record.CanonicalJson.Span));
            Assert.Equal(TraceStatus.Anchored, record.Status);

            Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyStoredAsync(stored.Id)).Status);
            Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyAsync(stored)).Status);
            var presented = stored with { UserId = TestTraces.Email };
            var verification = await verifier.VerifyAsync(presented);
            Assert.Equal(TraceVerificationStatus.Anchored, verification.Status);
            Assert.True(verification.Proof!.VerifyInclusion());
            Assert.Equal(TraceVerificationStatus.Tampered, (await verifier.VerifyAsync(stored with { CallerId = "someone-else" })).Status);

            await outbox.RecordAsync(stored); // the same trace again: no conflict, nothing added
        }

        Assert.Equal(Fixtures.Lines("canonical-original.jsonl").Length + 1, (await outbox.CountAsync()).Anchored);
        var freshRecord = await outbox.GetAsync(fresh.Id);
        Assert.Equal(TraceCanonicalForm.Documented, freshRecord!.CanonicalForm);
        Assert.DoesNotContain("UserAction", Encoding.UTF8.GetString(freshRecord.CanonicalJson.Span), StringComparison.Ordinal);
        Assert.Equal(TraceVerificationStatus.Anchored, (await verifier.VerifyAsync(fresh)).Status);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
