using System.Data.Common;
using Npgsql;

namespace ImagingRepo.Service.Storage;

/// <summary>PostgreSQL through one pooled Npgsql data source.</summary>
internal sealed class PostgreSqlDatabase(string connectionString) : Database
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
