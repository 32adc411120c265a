using ImagingRepo.Tracing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL outbox in place of the SQLite outbox of <c>AddImagingRepoTracing</c>.</summary>
public static class PostgreSqlTracingServiceCollectionExtensions
{
    /// <summary>Keeps the outbox in PostgreSQL.</summary>
    /// <param name="services">The services (with <c>AddImagingRepoTracing</c>).</param>
    /// <param name="connectionString">Npgsql connection string.</param>
    public static IServiceCollection AddImagingRepoTracingPostgreSql(this IServiceCollection services, string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return services.AddImagingRepoTracingPostgreSql(_ => connectionString);
    }

    /// <summary>Keeps the outbox in PostgreSQL, with the connection string read when the store is opened (from configuration or a secret store).</summary>
    /// <param name="services">The services (with <c>AddImagingRepoTracing</c>).</param>
    /// <param name="connectionString">Gives the Npgsql connection string.</param>
    public static IServiceCollection AddImagingRepoTracingPostgreSql(this IServiceCollection services, Func<IServiceProvider, string> connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connectionString);
        return services.ConfigureImagingRepoTracing((builder, sp) => builder.UsePostgreSqlOutbox(connectionString(sp)));
    }
}
