using System.Data.Common;
using Npgsql;

namespace ImagingRepo.Service.Storage;

/// <summary>PostgreSQL through one pooled Npgsql data source.</summary>
internal sealed class PostgreSqlDatabase : Database
{
    /// <summary>
    /// Statements per connection that Npgsql prepares once they repeat, unless the connection string says otherwise
    /// (<c>Max Auto Prepare=0</c> turns it off, e.g. behind a pooler without prepared statements): the repositories send
    /// the same few texts again and again, and PostgreSQL then skips parsing and planning them.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    private readonly NpgsqlDataSource _dataSource;

    public PostgreSqlDatabase(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        _dataSource = builder.Build();
    }

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
