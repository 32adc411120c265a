namespace ImagingRepo.Service.Access;

/// <summary>One use of datasets by a workspace or job (<c>DatasetAccess</c>): opened when access is granted, closed at its end.</summary>
internal sealed record DatasetAccessRecord
{
    /// <summary>The caller's id, usually the Kubernetes object's uid.</summary>
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required IReadOnlyList<string> DatasetIds { get; init; }

    /// <summary><c>i</c> (interactive) or <c>b</c> (batch job).</summary>
    public required string AccessType { get; init; }
    public string InstanceName { get; init; } = "";
    public string ToolName { get; init; } = "";
    public string ToolVersion { get; init; } = "";
    public string Image { get; init; } = "";
    public string ResourcesFlavor { get; init; } = "";
    public string CommandLine { get; init; } = "";
    public string OpenchallengeJobType { get; init; } = "";
    public required DateTimeOffset CreationTime { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public string? EndStatus { get; init; }
}
