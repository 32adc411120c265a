using System.Data.Common;
using System.Globalization;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>
/// Creates the outbox schema and brings databases written by earlier versions up to date, and keeps the
/// trace-to-dataset index (<c>trace_datasets</c>: one row per trace and distinct dataset id) that queries by dataset use.
/// A trace joins the index with its batch (<see cref="OutboxBatchStore.CreateBatchAsync"/>); databases written by
/// versions that indexed at recording hold rows for waiting traces too, which the queries allow for.
/// </summary>
internal static class OutboxSchema
{
    /// <summary>The schema version this code writes; <c>outbox_schema</c> holds the version a database has.</summary>
    public const int CurrentVersion = 2;

    /// <summary>
    /// Version 2: the canonical form of each row's JSON. Rows stored before it have the original form (1); the stores'
    /// <c>CREATE TABLE</c> statements leave the column out, so that new and old databases get it the same way.
    /// </summary>
    internal const string AddCanonicalFormColumn = "ALTER TABLE traces ADD COLUMN canonical_form INTEGER NOT NULL DEFAULT 1";

    private const int BackfillPageSize = 1000;

    /// <summary>
    /// In one transaction: creates what is missing, then runs the migrations the database has not had yet.
    /// Version 1 added <c>trace_datasets</c>, filled here from the traces already stored; version 2 added
    /// <c>traces.canonical_form</c>, <see cref="TraceCanonicalForm.Original"/> for the traces already stored.
    /// </summary>
    public static async Task CreateOrMigrateAsync(DbConnection connection, string? lockStatement, IEnumerable<string> schemaStatements, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (lockStatement is not null) await ExecuteAsync(connection, transaction, lockStatement, cancellationToken).ConfigureAwait(false);
            foreach (var statement in schemaStatements.Append("CREATE TABLE IF NOT EXISTS outbox_schema (version INTEGER NOT NULL)"))
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
            }

            int version;
            using (var read = Command(connection, transaction, "SELECT MAX(version) FROM outbox_schema"))
            {
                var stored = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                version = stored is null or DBNull ? 0 : Convert.ToInt32(stored, CultureInfo.InvariantCulture);
            }

            if (version >= CurrentVersion)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (version < 1) await BackfillDatasetsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            if (version < 2) await ExecuteAsync(connection, transaction, AddCanonicalFormColumn, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "DELETE FROM outbox_schema", cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO outbox_schema (version) VALUES (" + CurrentVersion + ")", cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The insert of one index row, prepared for a group of writes.</summary>
    public static async Task<DbCommand> PrepareDatasetInsertAsync(WriteContext ctx)
    {
        var command = ctx.Command(OutboxSql.InsertTraceDataset);
        ctx.Add(command, "@ds", "");
        ctx.Add(command, "@seq", 0L);
        await command.PrepareAsync().ConfigureAwait(false);
        return command;
    }

    /// <summary>Adds the index rows of one trace (each distinct dataset id once) with the prepared insert.</summary>
    public static async Task InsertDatasetsAsync(DbCommand insert, long seq, Trace trace)
    {
        insert.Parameters[1].Value = seq;
        foreach (var datasetId in trace.ReferencedDatasetIds.Distinct(StringComparer.Ordinal))
        {
            insert.Parameters[0].Value = datasetId;
            await insert.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }

    private static async Task BackfillDatasetsAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // The ids come from each trace's canonical JSON, not from the '|'-joined column, which cannot tell "a|b" from "a", "b".
        using var insert = Command(connection, transaction, OutboxSql.InsertTraceDataset);
        AddParameter(insert, "@ds", "");
        AddParameter(insert, "@seq", 0L);
        using var page = Command(connection, transaction, "SELECT seq, json FROM traces WHERE seq > @after ORDER BY seq LIMIT " + BackfillPageSize);
        var after = AddParameter(page, "@after", 0L);
        while (true)
        {
            // Read a page, then write it: PostgreSQL runs one command at a time per connection.
            var rows = new List<(long Seq, Trace Trace)>(BackfillPageSize);
            var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add((reader.GetInt64(0), TraceSerializer.Deserialize((byte[])reader.GetValue(1))));
                }
            }

            foreach (var (seq, trace) in rows) await InsertDatasetsAsync(insert, seq, trace).ConfigureAwait(false);
            if (rows.Count < BackfillPageSize) return;
            after.Value = rows[^1].Seq;
        }
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
