using System.ComponentModel.DataAnnotations;
using ImagingRepo.Client.Storage;

namespace ImagingRepo.Service.Creation;

/// <summary>Where the operations of dataset creation are kept.</summary>
public enum DatasetCreationDatabase
{
    /// <summary>A local SQLite file (<see cref="DatasetCreationOptions.SqlitePath"/>): the embedded default, one replica.</summary>
    Sqlite,

    /// <summary>PostgreSQL (<see cref="DatasetCreationOptions.PostgresConnectionString"/>): several replicas share the operations.</summary>
    PostgreSql,
}

/// <summary>Configuration of dataset creation (section <see cref="SectionName"/>).</summary>
public sealed class DatasetCreationOptions
{
    /// <summary>The configuration section the options are read from by convention.</summary>
    public const string SectionName = "ImagingRepo:Creation";

    /// <summary>
    /// The data lake's folder (for the default <see cref="Lake.LocalFolderDataLake"/>); for an S3 lake
    /// (<see cref="DataLakeKind"/>), the absolute path where the bucket is mounted read-only in the pods that use
    /// datasets, which the datasets' study links start with.
    /// </summary>
    [Required]
    public string? DataLakePath { get; set; }

    /// <summary>Where the lake is: a folder (default) or an S3 bucket (Ceph RGW) given by <see cref="S3"/>.</summary>
    public DataLakeKind DataLakeKind { get; set; } = DataLakeKind.LocalFolder;

    /// <summary>
    /// The bucket when <see cref="DataLakeKind"/> is <see cref="DataLakeKind.S3"/>: endpoint, bucket, key prefix and
    /// credentials (bind the secret key from the environment or a secret, never a committed file).
    /// </summary>
    public S3DataLakeOptions S3 { get; set; } = new();

    /// <summary>The folder that holds one folder per dataset.</summary>
    [Required]
    public string? DatasetsPath { get; set; }

    /// <summary>Where operations are kept.</summary>
    public DatasetCreationDatabase Database { get; set; } = DatasetCreationDatabase.Sqlite;

    /// <summary>The SQLite file when <see cref="Database"/> is <see cref="DatasetCreationDatabase.Sqlite"/>.</summary>
    public string SqlitePath { get; set; } = "creation.db";

    /// <summary>The Npgsql connection string when <see cref="Database"/> is <see cref="DatasetCreationDatabase.PostgreSql"/>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The <c>callerId</c> of the CREATE_DATASET traces.</summary>
    [Required]
    public string CallerId { get; set; } = "imagingrepo-dataset-service";

    /// <summary>This replica's name in the operations it claims; a unique one per process when null.</summary>
    public string? ReplicaId { get; set; }

    /// <summary>
    /// How long a claim holds without being renewed: after a crash, another replica (or the restarted one) takes the
    /// operation over once this much time has passed.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running operation renews its claim, saves its last message and looks for a cancel request.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an idle worker looks for pending operations another replica queued.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Operations this replica runs at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrentOperations { get; set; } = 1;

    /// <summary>Runs an operation may start before it is failed (each crash mid-run costs one).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Series read and hashed at once within one operation.</summary>
    [Range(1, 256)]
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Whether this process runs the background worker (false: it only queues, e.g. when a Kubernetes Job runs them).</summary>
    public bool RunWorker { get; set; } = true;
}
