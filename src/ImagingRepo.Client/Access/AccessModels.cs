namespace ImagingRepo.Client.Access;

/// <summary>One dataset access: who used the dataset, how, with which tool, and for how long (<c>DatasetAccess</c>).</summary>
public sealed record DatasetAccess
{
    /// <summary>When the access was granted (<c>creationTime</c>).</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>The user (<c>username</c>).</summary>
    public string? Username { get; init; }

    /// <summary>Interactive or batch (<c>accessType</c>).</summary>
    public DatasetAccessType? AccessType { get; init; }

    /// <summary>The Kubernetes object that asked (<c>instanceName</c>).</summary>
    public string? InstanceName { get; init; }

    /// <summary>The tool used (<c>toolName</c>).</summary>
    public string? ToolName { get; init; }

    /// <summary>The tool's version (<c>toolVersion</c>).</summary>
    public string? ToolVersion { get; init; }

    /// <summary>The container image (<c>image</c>).</summary>
    public string? Image { get; init; }

    /// <summary>The resource flavour (<c>resourcesFlavor</c>).</summary>
    public string? ResourcesFlavor { get; init; }

    /// <summary>A finished job's run time in minutes (<c>duration</c>).</summary>
    public int? Duration { get; init; }

    /// <summary>When the job started (<c>startTime</c>).</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the workload ended (<c>endTime</c>).</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>How the job ended (<c>endStatus</c>).</summary>
    public string? EndStatus { get; init; }

    /// <summary>The job's command line (<c>cmdLine</c>).</summary>
    public string? CmdLine { get; init; }

    /// <summary>The open-challenge job type (<c>openchallengeJobType</c>).</summary>
    public string? OpenchallengeJobType { get; init; }
}

/// <summary>An entry of a dataset's access control list (<c>GET /datasets/{id}/acl</c>).</summary>
public sealed record AclEntry
{
    /// <summary>The user's id (<c>uid</c>).</summary>
    public string? Uid { get; init; }

    /// <summary>The user name (<c>username</c>).</summary>
    public string? Username { get; init; }
}

/// <summary>The body of <c>POST /datasetAccessCheck</c>.</summary>
public sealed record DatasetAccessCheckRequest
{
    /// <summary>The user (<c>userName</c>).</summary>
    public string? UserName { get; init; }

    /// <summary>The datasets (<c>datasets</c>).</summary>
    public IReadOnlyList<string>? Datasets { get; init; }
}

/// <summary>The answer of an access check.</summary>
/// <param name="Granted">True when every dataset may be used.</param>
/// <param name="DeniedDatasetIds">The datasets refused (not found, still being created, invalidated or not available to the user).</param>
public sealed record DatasetAccessCheckResult(bool Granted, IReadOnlyList<string> DeniedDatasetIds);

/// <summary>The body of <c>POST /datasetAccess/{id}</c>: a workload starts using datasets.</summary>
public sealed record DatasetAccessRequest
{
    /// <summary>The user (<c>userName</c>).</summary>
    public string? UserName { get; init; }

    /// <summary>The datasets (<c>datasets</c>).</summary>
    public IReadOnlyList<string>? Datasets { get; init; }

    /// <summary>The Kubernetes object (deployment or job) that uses them (<c>instanceName</c>).</summary>
    public string? InstanceName { get; init; }

    /// <summary>The tool (<c>toolName</c>).</summary>
    public string? ToolName { get; init; }

    /// <summary>The tool's version (<c>toolVersion</c>).</summary>
    public string? ToolVersion { get; init; }
}

/// <summary>The body of <c>PATCH /datasetAccess/{id}</c>: a workload stopped using its datasets.</summary>
public sealed record DatasetAccessEnd
{
    /// <summary>How it ended, e.g. <c>succeeded</c> (<c>status</c>).</summary>
    public string? Status { get; init; }

    /// <summary>When it started, ISO 8601 (<c>startTime</c>).</summary>
    public string? StartTime { get; init; }

    /// <summary>When it ended, ISO 8601 (<c>endTime</c>).</summary>
    public string? EndTime { get; init; }
}
