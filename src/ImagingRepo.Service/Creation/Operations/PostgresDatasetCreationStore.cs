using System.Data.Common;
using Npgsql;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// The operations in PostgreSQL, shared by every replica: a claim locks the row it takes and skips rows others are
/// taking (<c>FOR UPDATE SKIP LOCKED</c>), and replicas starting together migrate the schema one after the other.
/// </summary>
internal sealed class PostgresDatasetCreationStore(NpgsqlDataSource dataSource, TimeProvider time) : SqlDatasetCreationStore(time), IAsyncDisposable
{
    public PostgresDatasetCreationStore(string connectionString, TimeProvider time) : this(NpgsqlDataSource.Create(connectionString), time)
    {
    }

    protected override string? MigrationLock => "SELECT pg_advisory_xact_lock(4815162342108)";

    protected override string ClaimLock => "FOR UPDATE SKIP LOCKED";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
