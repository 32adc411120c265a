namespace ImagingRepo.Client.Datasets;

/// <summary>Filters and order of a dataset list (<c>GET /datasets</c>); unset members are not sent.</summary>
public sealed record DatasetQuery
{
    /// <summary>Only drafts (true) or only non-drafts (false) (<c>draft</c>).</summary>
    public bool? Draft { get; init; }

    /// <summary>Only public (true) or only non-public (false) datasets (<c>public</c>).</summary>
    public bool? Public { get; init; }

    /// <summary>Only invalidated (true) or only valid (false) datasets (<c>invalidated</c>).</summary>
    public bool? Invalidated { get; init; }

    /// <summary>Only datasets with all these tags (<c>tag</c>, repeated).</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Only datasets of this project (<c>project</c>).</summary>
    public string? Project { get; init; }

    /// <summary>A case-insensitive substring of the name, id or author (<c>searchString</c>).</summary>
    public string? SearchString { get; init; }

    /// <summary>A case-insensitive substring of a subject name the dataset must contain (<c>searchSubject</c>).</summary>
    public string? SearchSubject { get; init; }

    /// <summary>Leave out datasets that have a newer version (<c>onlyLastVersions</c>).</summary>
    public bool? OnlyLastVersions { get; init; }

    /// <summary>The sort key (<c>sortBy</c>).</summary>
    public DatasetSortKey? SortBy { get; init; }

    /// <summary>The sort direction (<c>sortDirection</c>).</summary>
    public SortDirection? SortDirection { get; init; }
}
