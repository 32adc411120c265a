namespace ImagingRepo.Service.Access;

/// <summary><c>POST /datasetAccessCheck</c> body.</summary>
internal sealed record AccessCheckBody
{
    public string? UserName { get; init; }
    public IReadOnlyList<string>? Datasets { get; init; }
}

/// <summary>
/// <c>POST /datasetAccess/{id}</c> body: the v1 spec's properties plus those the Kubernetes operator sends to the live
/// CHAIMELEON service (image, commandLine, isJob, isJobFromDesktop, resourcesFlavor, openchallengeJobType).
/// </summary>
internal sealed record DatasetAccessBody
{
    public string? UserName { get; init; }
    public IReadOnlyList<string>? Datasets { get; init; }
    public string? InstanceName { get; init; }
    public string? ToolName { get; init; }
    public string? ToolVersion { get; init; }
    public string? Image { get; init; }
    public string? CommandLine { get; init; }
    public bool? IsJob { get; init; }
    public bool? IsJobFromDesktop { get; init; }
    public string? ResourcesFlavor { get; init; }
    public string? OpenchallengeJobType { get; init; }
}

/// <summary><c>PATCH /datasetAccess/{id}</c> body: how the access ended.</summary>
internal sealed record DatasetAccessEndBody
{
    public string? Status { get; init; }
    public string? StartTime { get; init; }
    public string? EndTime { get; init; }
}

/// <summary>An ACL entry (<c>GET /datasets/{id}/acl</c>).</summary>
internal sealed record AclEntryWire(string? Uid, string Username);

/// <summary><c>DatasetAccess</c>, an item of <c>GET /datasets/{id}/accessHistory</c>.</summary>
internal sealed record DatasetAccessWire
{
    public required DateTime CreationTime { get; init; }
    public required string Username { get; init; }
    public required string AccessType { get; init; }
    public required string InstanceName { get; init; }
    public required string ToolName { get; init; }
    public required string ToolVersion { get; init; }
    public required string Image { get; init; }
    public required string ResourcesFlavor { get; init; }
    public required int? Duration { get; init; }
    public required DateTime? StartTime { get; init; }
    public required DateTime? EndTime { get; init; }
    public required string? EndStatus { get; init; }
    public required string CmdLine { get; init; }
    public required string OpenchallengeJobType { get; init; }
}
