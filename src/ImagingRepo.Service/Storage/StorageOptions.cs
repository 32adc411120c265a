namespace ImagingRepo.Service.Storage;

/// <summary>Which database keeps the service's metadata.</summary>
internal enum StorageProvider
{
    /// <summary>A SQLite file in the data directory: the embedded default, one replica.</summary>
    Sqlite,

    /// <summary>PostgreSQL: production, several replicas against one database.</summary>
    PostgreSql,
}

/// <summary>Where the metadata lives (section <c>ImagingRepo:Service:Storage</c>).</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "ImagingRepo:Service:Storage";

    /// <summary>The database kind; SQLite unless configured.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite file; default <c>service.db</c> in the data directory.</summary>
    public string? SqlitePath { get; set; }

    /// <summary>Npgsql connection string, required with <see cref="StorageProvider.PostgreSql"/>.</summary>
    public string? PostgreSqlConnectionString { get; set; }
}
