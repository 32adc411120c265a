using System.Data.Common;
using Npgsql;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>The outbox in PostgreSQL, for deployments that already run it (several service replicas, backups).</summary>
public sealed class PostgresTraceOutbox : TraceOutbox
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresTraceOutbox(NpgsqlDataSource dataSource, TraceOutboxOptions options) : base(options) => _dataSource = dataSource;

    /// <summary>Connects, creates the tables if missing and starts the writer.</summary>
    /// <param name="connectionString">Npgsql connection string.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<PostgresTraceOutbox> OpenAsync(string connectionString, TraceOutboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var outbox = new PostgresTraceOutbox(NpgsqlDataSource.Create(connectionString), options ?? new TraceOutboxOptions());
        await outbox.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return outbox;
    }

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    protected override async ValueTask DisposeCoreAsync() => await _dataSource.DisposeAsync().ConfigureAwait(false);

    /// <summary>Replicas opening the same database at once create and migrate the schema one after the other.</summary>
    protected override string? SchemaLockStatement => "SELECT pg_advisory_xact_lock(7262840157416813154)";

    /// <inheritdoc />
    protected override IEnumerable<string> SchemaStatements =>
    [
        // canonical_form is added by the version 2 migration (TraceOutbox runs it on new databases too).
        """
        CREATE TABLE IF NOT EXISTS traces (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            action INTEGER NOT NULL,
            datasets TEXT NOT NULL,
            json BYTEA NOT NULL,
            leaf BYTEA NOT NULL,
            status INTEGER NOT NULL,
            message TEXT,
            recorded_ms BIGINT NOT NULL,
            anchored_ms BIGINT,
            batch_id BIGINT,
            leaf_index INTEGER,
            proof BYTEA)
        """,
        "CREATE INDEX IF NOT EXISTS traces_status ON traces (status, seq)",
        "CREATE INDEX IF NOT EXISTS traces_batch ON traces (batch_id, leaf_index)",
        """
        CREATE TABLE IF NOT EXISTS batches (
            id BIGSERIAL PRIMARY KEY,
            root BYTEA NOT NULL,
            count INTEGER NOT NULL,
            state INTEGER NOT NULL,
            created_ms BIGINT NOT NULL,
            attempts INTEGER NOT NULL,
            ticket_ref TEXT,
            ticket_payload TEXT,
            ledger TEXT,
            ledger_batch BIGINT,
            anchor_ref TEXT,
            position BIGINT,
            message TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS batches_state ON batches (state, id)",

        // One row per trace and dataset id: a query by dataset is a lookup in this primary key.
        """
        CREATE TABLE IF NOT EXISTS trace_datasets (
            dataset_id TEXT NOT NULL,
            trace_seq BIGINT NOT NULL,
            PRIMARY KEY (dataset_id, trace_seq))
        """,
    ];
}
