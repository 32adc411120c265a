namespace ImagingRepo.Jobs.Lifecycle;

/// <summary>
/// Decides whether a user may use datasets. Implemented by the dataset-service client (<c>POST /datasetAccessCheck</c>);
/// the jobs library only depends on this interface.
/// </summary>
public interface IDatasetAccessGate
{
    /// <summary>Checks whether <paramref name="user"/> may use every dataset in <paramref name="datasetIds"/>.</summary>
    /// <param name="user">The platform user name.</param>
    /// <param name="datasetIds">The datasets the workload mounts.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    Task<DatasetAccessDecision> CheckAsync(string user, IReadOnlyList<string> datasetIds, CancellationToken cancellationToken = default);
}

/// <summary>The gate's answer.</summary>
/// <param name="Granted">True when every dataset may be used.</param>
/// <param name="DeniedDatasetIds">The datasets refused (empty when granted).</param>
/// <param name="Reason">Why they were refused, or null.</param>
public sealed record DatasetAccessDecision(bool Granted, IReadOnlyList<string> DeniedDatasetIds, string? Reason)
{
    /// <summary>Every dataset granted.</summary>
    public static DatasetAccessDecision Allow() => new(true, [], null);

    /// <summary>Some datasets refused.</summary>
    /// <param name="deniedDatasetIds">The refused datasets.</param>
    /// <param name="reason">Why.</param>
    public static DatasetAccessDecision Deny(IReadOnlyList<string> deniedDatasetIds, string reason) => new(false, deniedDatasetIds, reason);
}

/// <summary>A dataset access: which user's workload reads which datasets with which tool (ids only, no personal data).</summary>
/// <param name="User">The platform user name.</param>
/// <param name="DatasetIds">The datasets.</param>
/// <param name="Namespace">The workspace namespace.</param>
/// <param name="WorkloadName">The Job or session name.</param>
/// <param name="WorkloadKind">batch, htc, interactive or inference.</param>
/// <param name="ToolName">The tool name.</param>
/// <param name="ToolVersion">The tool version.</param>
/// <param name="StartedAt">When the workload was submitted.</param>
public sealed record DatasetAccessRecord(string User, IReadOnlyList<string> DatasetIds, string Namespace, string WorkloadName,
    string WorkloadKind, string ToolName, string ToolVersion, DateTimeOffset StartedAt);

/// <summary>Records dataset accesses (the dataset service's access records). Implemented by the dataset-service client.</summary>
public interface IDatasetAccessRecorder
{
    /// <summary>Records one access; should be durable (an outbox) so that no use goes unrecorded.</summary>
    /// <param name="record">The access.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RecordAccessAsync(DatasetAccessRecord record, CancellationToken cancellationToken = default);
}

/// <summary>A <c>USE_DATASETS</c> trace to be written to the tracer.</summary>
/// <param name="UserId">The platform user id.</param>
/// <param name="DatasetIds">The datasets used.</param>
/// <param name="ToolName">The tool name.</param>
/// <param name="ToolVersion">The tool version.</param>
/// <param name="Timestamp">When the use started.</param>
/// <param name="ModelId">The model applied by an inference job, or null.</param>
public sealed record UseDatasetsTrace(string UserId, IReadOnlyList<string> DatasetIds, string ToolName, string ToolVersion, DateTimeOffset Timestamp, string? ModelId);

/// <summary>Writes <c>USE_DATASETS</c> traces. Implemented over the tracing library's outbox by the client.</summary>
public interface IDatasetUseTraceSink
{
    /// <summary>Records that datasets are being used.</summary>
    /// <param name="trace">The trace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RecordUseDatasetsAsync(UseDatasetsTrace trace, CancellationToken cancellationToken = default);
}
