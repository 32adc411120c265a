using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>Options of <see cref="SqliteTraceOutbox"/>.</summary>
public sealed class SqliteTraceOutboxOptions : TraceOutboxOptions
{
    /// <summary>
    /// True (default): <c>synchronous=FULL</c>, every commit is fsynced, so a trace whose
    /// <see cref="TraceOutbox.RecordAsync"/> returned survives a power loss. False: <c>synchronous=NORMAL</c>,
    /// which in WAL mode survives a crash of the process but may lose the last commits on a power loss.
    /// </summary>
    public bool FlushEveryCommit { get; set; } = true;
}

/// <summary>The outbox in a local SQLite database in WAL mode (the embedded default).</summary>
public sealed class SqliteTraceOutbox : TraceOutbox
{
    private readonly string _connectionString;
    private readonly string _synchronous;

    private SqliteTraceOutbox(string path, SqliteTraceOutboxOptions options) : base(options)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _synchronous = options.FlushEveryCommit ? "FULL" : "NORMAL";
    }

    /// <summary>The database file.</summary>
    public string? Path { get; private init; }

    /// <summary>Opens (or creates) the outbox database at <paramref name="path"/>.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="options">Options, or null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<SqliteTraceOutbox> OpenAsync(string path, SqliteTraceOutboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        var outbox = new SqliteTraceOutbox(full, options ?? new SqliteTraceOutboxOptions()) { Path = full };
        await outbox.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return outbox;
    }

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    protected override IEnumerable<string> SchemaStatements =>
    [
        // canonical_form is added by the version 2 migration (TraceOutbox runs it on new databases too).
        """
        CREATE TABLE IF NOT EXISTS traces (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            action INTEGER NOT NULL,
            datasets TEXT NOT NULL,
            json BLOB NOT NULL,
            leaf BLOB NOT NULL,
            status INTEGER NOT NULL,
            message TEXT,
            recorded_ms INTEGER NOT NULL,
            anchored_ms INTEGER,
            batch_id INTEGER,
            leaf_index INTEGER,
            proof BLOB)
        """,
        "CREATE INDEX IF NOT EXISTS traces_status ON traces (status, seq)",
        "CREATE INDEX IF NOT EXISTS traces_batch ON traces (batch_id, leaf_index)",
        """
        CREATE TABLE IF NOT EXISTS batches (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            root BLOB NOT NULL,
            count INTEGER NOT NULL,
            state INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            ticket_ref TEXT,
            ticket_payload TEXT,
            ledger TEXT,
            ledger_batch INTEGER,
            anchor_ref TEXT,
            position INTEGER,
            message TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS batches_state ON batches (state, id)",

        // One row per trace and dataset id: a query by dataset is a lookup in this primary key.
        """
        CREATE TABLE IF NOT EXISTS trace_datasets (
            dataset_id TEXT NOT NULL,
            trace_seq INTEGER NOT NULL,
            PRIMARY KEY (dataset_id, trace_seq)) WITHOUT ROWID
        """,
    ];
}
