using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>
/// The operations in a local SQLite file (WAL, every commit flushed): the embedded default. Claims are exclusive because
/// SQLite runs one write transaction at a time, and a claim is one statement.
/// </summary>
internal sealed class SqliteDatasetCreationStore : SqlDatasetCreationStore
{
    private readonly string _connectionString;

    public SqliteDatasetCreationStore(string path, TimeProvider time) : base(time)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
