using ImagingRepo.TestSupport;
using Npgsql;

namespace ImagingRepo.Tracing.Tests.Infrastructure;

/// <summary>Proves the PostgreSQL harness: a real round trip through Npgsql, not just an open port.</summary>
public sealed class PostgresServerTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [SkippableFact]
    public async Task Table_created_filled_and_queried_round_trips_rows()
    {
        server.Require();
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var table = "harness_" + Guid.NewGuid().ToString("N");

        await using (var create = dataSource.CreateCommand(
            $"CREATE TABLE {table} (id integer PRIMARY KEY, digest bytea NOT NULL, note text)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            byte[] digest = [0xde, 0xad, 0xbe, 0xef, 0x00, 0xff];
            await using (var insert = dataSource.CreateCommand(
                $"INSERT INTO {table} (id, digest, note) VALUES ($1, $2, $3), ($4, $5, NULL)"))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = 1 });
                insert.Parameters.Add(new NpgsqlParameter { Value = digest });
                insert.Parameters.Add(new NpgsqlParameter { Value = "ü – non-ASCII survives" });
                insert.Parameters.Add(new NpgsqlParameter { Value = 2 });
                insert.Parameters.Add(new NpgsqlParameter { Value = Array.Empty<byte>() });
                Assert.Equal(2, await insert.ExecuteNonQueryAsync());
            }

            await using var query = dataSource.CreateCommand($"SELECT id, digest, note FROM {table} ORDER BY id");
            await using var reader = await query.ExecuteReaderAsync();

            Assert.True(await reader.ReadAsync());
            Assert.Equal(1, reader.GetInt32(0));
            Assert.Equal(digest, reader.GetFieldValue<byte[]>(1));
            Assert.Equal("ü – non-ASCII survives", reader.GetString(2));

            Assert.True(await reader.ReadAsync());
            Assert.Equal(2, reader.GetInt32(0));
            Assert.Empty(reader.GetFieldValue<byte[]>(1));
            Assert.True(reader.IsDBNull(2));

            Assert.False(await reader.ReadAsync());
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {table}");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task Failed_transaction_leaves_nothing_behind()
    {
        server.Require();
        await using var dataSource = NpgsqlDataSource.Create(server.ConnectionString);
        var table = "harness_" + Guid.NewGuid().ToString("N");
        await using (var create = dataSource.CreateCommand($"CREATE TABLE {table} (id integer PRIMARY KEY)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var transaction = await connection.BeginTransactionAsync())
            {
                await using var insert = new NpgsqlCommand($"INSERT INTO {table} VALUES (1)", connection, transaction);
                await insert.ExecuteNonQueryAsync();
                await using var duplicate = new NpgsqlCommand($"INSERT INTO {table} VALUES (1)", connection, transaction);
                var error = await Assert.ThrowsAsync<PostgresException>(() => duplicate.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
                await transaction.RollbackAsync();
            }

            await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {table}");
            await drop.ExecuteNonQueryAsync();
        }
    }
}
