using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// The operations in one table of a SQL database; SQLite and PostgreSQL differ only in how a connection is opened, how
/// concurrent schema migrations and claims are kept apart, and nothing else. Every statement is one atomic
/// <c>UPDATE … WHERE</c> on the claim's owner, so a worker that lost its lease cannot overwrite its successor.
/// </summary>
internal abstract class SqlDatasetCreationStore(TimeProvider time) : IDatasetCreationStore
{
    private const string Columns = "dataset_id, request, result, trace, attempts, cancel_requested";

    /// <summary>The versioned migrations, applied in order; a version once shipped never changes.</summary>
    private static readonly string[][] Migrations =
    [
        [
            """
            CREATE TABLE IF NOT EXISTS dataset_creation (
                dataset_id TEXT PRIMARY KEY,
                status TEXT NOT NULL,
                last_message TEXT NOT NULL,
                request TEXT NOT NULL,
                result TEXT,
                trace TEXT,
                owner TEXT,
                lease_until_ms BIGINT,
                cancel_requested INTEGER NOT NULL,
                attempts INTEGER NOT NULL,
                created_ms BIGINT NOT NULL,
                updated_ms BIGINT NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS dataset_creation_claim ON dataset_creation (status, created_ms)",
        ],
    ];

    /// <summary>Opens a connection.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Run first in the migration transaction so that replicas migrate one after the other; null where the transaction does that already.</summary>
    protected virtual string? MigrationLock => null;

    /// <summary>What follows the claim's inner <c>SELECT … LIMIT 1</c> so that concurrent claimers skip each other's rows.</summary>
    protected virtual string ClaimLock => "";

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (MigrationLock is { } lockStatement) await ExecuteAsync(connection, transaction, lockStatement, cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS dataset_creation_schema (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)", cancellationToken);
        await using var current = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM dataset_creation_schema");
        var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        for (var v = version + 1; v <= Migrations.Length; v++)
        {
            foreach (var statement in Migrations[v - 1]) await ExecuteAsync(connection, transaction, statement, cancellationToken);
            await using var record = Command(connection, transaction, "INSERT INTO dataset_creation_schema (version, applied_ms) VALUES (@v, @now)", ("v", v), ("now", Now()));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> EnqueueAsync(DatasetCreationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var json = JsonSerializer.Serialize(request, CreationJsonContext.Default.DatasetCreationRequest);
        return await UpdateAsync(
            """
            INSERT INTO dataset_creation (dataset_id, status, last_message, request, cancel_requested, attempts, created_ms, updated_ms)
            VALUES (@id, 'pending', @message, @request, 0, 0, @now, @now)
            ON CONFLICT (dataset_id) DO NOTHING
            """,
            cancellationToken, ("id", request.DatasetId), ("message", "Waiting to start..."), ("request", json), ("now", Now())) == 1;
    }

    public async Task<DatasetCreationState?> GetAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT status, last_message, attempts, cancel_requested, result, trace, created_ms, updated_ms FROM dataset_creation WHERE dataset_id = @id",
            ("id", datasetId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new DatasetCreationState
        {
            DatasetId = datasetId,
            Status = ParseStatus(reader.GetString(0)),
            LastMessage = reader.GetString(1),
            Attempts = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
            CancelRequested = Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture) != 0,
            Result = reader.IsDBNull(4) ? null : ReadResult(reader.GetString(4)),
            TraceId = reader.IsDBNull(5) ? null : ReadTrace(reader.GetString(5)).Id,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
            UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        };
    }

    public async Task<CancelOutcome> CancelAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        var now = Now();
        if (await UpdateAsync("UPDATE dataset_creation SET status = 'error', last_message = @message, updated_ms = @now WHERE dataset_id = @id AND status = 'pending'",
                cancellationToken, ("id", datasetId), ("message", CreationMessages.Canceled), ("now", now)) == 1)
        {
            return CancelOutcome.Canceled;
        }

        if (await UpdateAsync(
                "UPDATE dataset_creation SET cancel_requested = 1, last_message = @message, updated_ms = @now WHERE dataset_id = @id AND status = 'running' AND result IS NULL",
                cancellationToken, ("id", datasetId), ("message", CreationMessages.Canceling), ("now", now)) == 1)
        {
            return CancelOutcome.Requested;
        }

        return await GetAsync(datasetId, cancellationToken) is null ? CancelOutcome.NotFound : CancelOutcome.TooLate;
    }

    public async Task<RestartOutcome> RestartAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        if (await UpdateAsync(
                """
                UPDATE dataset_creation SET status = 'pending', last_message = @message, cancel_requested = 0, attempts = 0,
                    owner = NULL, lease_until_ms = NULL, updated_ms = @now
                WHERE dataset_id = @id AND status = 'error'
                """,
                cancellationToken, ("id", datasetId), ("message", CreationMessages.Restarting), ("now", Now())) == 1)
        {
            return RestartOutcome.Restarted;
        }

        return await GetAsync(datasetId, cancellationToken) is null ? RestartOutcome.NotFound : RestartOutcome.NotInError;
    }

    public async Task<bool> DeleteAsync(string datasetId, CancellationToken cancellationToken = default) =>
        await UpdateAsync("DELETE FROM dataset_creation WHERE dataset_id = @id AND status <> 'running'", cancellationToken, ("id", datasetId)) == 1;

    public async Task<ClaimedCreation?> ClaimNextAsync(string owner, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            $"""
            UPDATE dataset_creation
            SET status = 'running', owner = @owner, lease_until_ms = @until, attempts = attempts + 1, updated_ms = @now,
                last_message = CASE WHEN status = 'running' THEN @resuming ELSE @starting END
            WHERE dataset_id = (
                    SELECT dataset_id FROM dataset_creation
                    WHERE status = 'pending' OR (status = 'running' AND lease_until_ms < @now)
                    ORDER BY created_ms, dataset_id
                    LIMIT 1 {ClaimLock})
                AND (status = 'pending' OR (status = 'running' AND lease_until_ms < @now))
            RETURNING {Columns}
            """,
            ("owner", owner), ("until", now + (long)lease.TotalMilliseconds), ("now", now),
            ("resuming", CreationMessages.Resuming), ("starting", CreationMessages.Starting));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ClaimedCreation(
            reader.GetString(0),
            owner,
            JsonSerializer.Deserialize(reader.GetString(1), CreationJsonContext.Default.DatasetCreationRequest)
                ?? throw new InvalidDataException($"dataset_creation {reader.GetString(0)}: the request is null"),
            reader.IsDBNull(2) ? null : ReadResult(reader.GetString(2)),
            reader.IsDBNull(3) ? null : ReadTrace(reader.GetString(3)),
            Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
            Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture) != 0);
    }

    public async Task<LeaseState> RenewAsync(string datasetId, string owner, TimeSpan lease, string? message, CancellationToken cancellationToken = default)
    {
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            """
            UPDATE dataset_creation SET lease_until_ms = @until, updated_ms = @now, last_message = COALESCE(@message, last_message)
            WHERE dataset_id = @id AND owner = @owner AND status = 'running'
            RETURNING cancel_requested
            """,
            ("id", datasetId), ("owner", owner), ("until", now + (long)lease.TotalMilliseconds), ("now", now), ("message", Truncate(message)));
        var cancel = await command.ExecuteScalarAsync(cancellationToken);
        return cancel is null or DBNull ? LeaseState.Lost
            : Convert.ToInt32(cancel, CultureInfo.InvariantCulture) != 0 ? LeaseState.CancelRequested
            : LeaseState.Held;
    }

    public async Task<bool> SaveResultAsync(string datasetId, string owner, DatasetCreationResult result, CreateDatasetTrace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(trace);
        return await UpdateAsync(
            """
            UPDATE dataset_creation SET result = @result, trace = @trace, updated_ms = @now
            WHERE dataset_id = @id AND owner = @owner AND status = 'running' AND result IS NULL AND cancel_requested = 0
            """,
            cancellationToken, ("id", datasetId), ("owner", owner), ("now", Now()),
            ("result", JsonSerializer.Serialize(result, CreationJsonContext.Default.DatasetCreationResult)),
            ("trace", Encoding.UTF8.GetString(TraceSerializer.Serialize(trace)))) == 1;
    }

    public async Task<bool> CompleteAsync(string datasetId, string owner, DatasetCreationStatus status, string message, CancellationToken cancellationToken = default)
    {
        if (status is not (DatasetCreationStatus.Finished or DatasetCreationStatus.Error)) throw new ArgumentOutOfRangeException(nameof(status), status, "a run ends finished or in error");
        return await UpdateAsync(
            """
            UPDATE dataset_creation SET status = @status, last_message = @message, owner = NULL, lease_until_ms = NULL, cancel_requested = 0, updated_ms = @now
            WHERE dataset_id = @id AND owner = @owner AND status = 'running'
            """,
            cancellationToken, ("id", datasetId), ("owner", owner), ("status", StatusName(status)), ("message", Truncate(message)), ("now", Now())) == 1;
    }

    public async Task<bool> ReleaseAsync(string datasetId, string owner, string message, CancellationToken cancellationToken = default) =>
        await UpdateAsync(
            """
            UPDATE dataset_creation SET status = 'pending', last_message = @message, owner = NULL, lease_until_ms = NULL,
                attempts = attempts - 1, updated_ms = @now
            WHERE dataset_id = @id AND owner = @owner AND status = 'running'
            """,
            cancellationToken, ("id", datasetId), ("owner", owner), ("message", Truncate(message)), ("now", Now())) == 1;

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<int> UpdateAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameter.DbType = value switch
            {
                long => DbType.Int64,
                int => DbType.Int32,
                _ => DbType.String,
            };
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static string? Truncate(string? message) =>
        message is { Length: > DatasetCreationState.MaxMessageLength } ? message[..(DatasetCreationState.MaxMessageLength - 3)] + "..." : message;

    private static DatasetCreationResult ReadResult(string json) =>
        JsonSerializer.Deserialize(json, CreationJsonContext.Default.DatasetCreationResult) ?? throw new InvalidDataException("dataset_creation: the result is null");

    private static CreateDatasetTrace ReadTrace(string json) =>
        TraceSerializer.Deserialize(json) as CreateDatasetTrace ?? throw new InvalidDataException("dataset_creation: the trace is not a CREATE_DATASET trace");

    private static string StatusName(DatasetCreationStatus status) => status switch
    {
        DatasetCreationStatus.Pending => "pending",
        DatasetCreationStatus.Running => "running",
        DatasetCreationStatus.Finished => "finished",
        _ => "error",
    };

    private static DatasetCreationStatus ParseStatus(string status) => status switch
    {
        "pending" => DatasetCreationStatus.Pending,
        "running" => DatasetCreationStatus.Running,
        "finished" => DatasetCreationStatus.Finished,
        "error" => DatasetCreationStatus.Error,
        _ => throw new InvalidDataException($"dataset_creation: unknown status \"{status}\""),
    };
}
