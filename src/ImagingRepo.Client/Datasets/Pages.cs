using ImagingRepo.Client.Access;

namespace ImagingRepo.Client.Datasets;

/// <summary>The paging members every list answer of the service shares.</summary>
public abstract record PageBase
{
    /// <summary>How many records match (<c>total</c>).</summary>
    public int? Total { get; init; }

    /// <summary>How many this page holds (<c>returned</c>).</summary>
    public int? Returned { get; init; }

    /// <summary>How many were skipped before it (<c>skipped</c>).</summary>
    public int? Skipped { get; init; }

    /// <summary>The page size asked for (<c>limit</c>).</summary>
    public int? Limit { get; init; }
}

/// <summary>A page of datasets (<c>GET /datasets</c>).</summary>
public sealed record DatasetPage : PageBase
{
    /// <summary>The datasets (<c>list</c>).</summary>
    public IReadOnlyList<DatasetListItem>? List { get; init; }

    /// <summary>What the caller may do on datasets (<c>allowedActionsForTheUser</c>).</summary>
    public IReadOnlyList<DatasetListAction>? AllowedActionsForTheUser { get; init; }
}

/// <summary>A page of a dataset's studies (<c>GET /datasets/{id}/studies</c>).</summary>
public sealed record StudyPage : PageBase
{
    /// <summary>The studies (<c>list</c>).</summary>
    public IReadOnlyList<Study>? List { get; init; }
}

/// <summary>A page of a dataset's access history (<c>GET /datasets/{id}/accessHistory</c>).</summary>
public sealed record DatasetAccessPage : PageBase
{
    /// <summary>The accesses (<c>list</c>).</summary>
    public IReadOnlyList<DatasetAccess>? List { get; init; }
}
