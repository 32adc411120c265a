using ImagingRepo.Tracing.Outbox;

namespace ImagingRepo.Tracing;

/// <summary>Adds the PostgreSQL outbox to <see cref="TraceStoreBuilder"/>.</summary>
public static class PostgreSqlTraceStoreBuilderExtensions
{
    /// <summary>Keeps the outbox in PostgreSQL (see <see cref="PostgresTraceOutbox"/>) in place of SQLite.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">Npgsql connection string.</param>
    public static TraceStoreBuilder UsePostgreSqlOutbox(this TraceStoreBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return builder.UseOutbox(async (b, cancellationToken) =>
            await PostgresTraceOutbox.OpenAsync(connectionString, b.ApplyTo(new TraceOutboxOptions()), cancellationToken).ConfigureAwait(false));
    }
}
