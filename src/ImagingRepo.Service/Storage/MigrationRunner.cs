using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Storage;

/// <summary>
/// Applies the migrations not yet recorded in <c>schema_migrations</c>, in version order, each in its own transaction.
/// Replicas starting together against one PostgreSQL take an advisory lock first, so each migration runs once; SQLite's
/// write transactions exclude each other already.
/// </summary>
internal sealed partial class MigrationRunner(Database database, IEnumerable<IMigrationSource> sources, TimeProvider time, ILogger<MigrationRunner> logger)
{
    // Any fixed number shared by all replicas: the key of the advisory lock held while migrating.
    private const long AdvisoryLockKey = 0x496d6167_52657031;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await database.InTransactionAsync(session => session.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, description TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (component, version))",
            cancellationToken), cancellationToken).ConfigureAwait(false);

        foreach (var group in sources.SelectMany(s => s.Migrations).GroupBy(m => m.Component, StringComparer.Ordinal))
        {
            foreach (var migration in group.OrderBy(m => m.Version))
            {
                await database.InTransactionAsync(async session =>
                {
                    if (database.Provider == StorageProvider.PostgreSql)
                    {
                        await session.ScalarAsync("SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", AdvisoryLockKey)).ConfigureAwait(false);
                    }

                    var applied = await session.ScalarAsync(
                        "SELECT COUNT(*) FROM schema_migrations WHERE component = @component AND version = @version",
                        cancellationToken, ("@component", migration.Component), ("@version", migration.Version)).ConfigureAwait(false);
                    if (Convert.ToInt64(applied, CultureInfo.InvariantCulture) > 0) return;

                    foreach (var statement in migration.Statements)
                    {
                        await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
                    }

                    await session.ExecuteAsync(
                        "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES (@component, @version, @description, @at)",
                        cancellationToken, ("@component", migration.Component), ("@version", migration.Version),
                        ("@description", migration.Description), ("@at", time.GetUtcNow().ToUnixTimeMilliseconds())).ConfigureAwait(false);
                    LogApplied(migration.Component, migration.Version, migration.Description);
                }, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Component} {Version}: {Description}")]
    private partial void LogApplied(string component, int version, string description);
}
