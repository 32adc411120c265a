namespace ImagingRepo.Service.Datasets;

/// <summary>The sort keys of <c>GET /datasets</c> (<c>sortBy</c>).</summary>
internal enum DatasetSortKey
{
    CreationDate,
    Name,
    AuthorName,
    StudiesCount,
    SubjectsCount,
    TimesUsed,
}

/// <summary>
/// Which datasets a user may see in lists, as the CHAIMELEON service limits them: the filters the caller asked for are
/// narrowed by these, never widened.
/// </summary>
/// <param name="Everything">A superadmin sees every dataset.</param>
/// <param name="NonPublicProjects">Non-public datasets only of these projects (empty: none); null: of any project.</param>
/// <param name="DraftsAndInvalidatedOnlyOf">Drafts and invalidated datasets only of this author; null: anyone's.</param>
/// <param name="NoDraftsOrInvalidated">Neither drafts nor invalidated datasets at all.</param>
internal sealed record DatasetVisibility(bool Everything, IReadOnlySet<string>? NonPublicProjects, string? DraftsAndInvalidatedOnlyOf, bool NoDraftsOrInvalidated)
{
    public static DatasetVisibility All { get; } = new(true, null, null, false);
}

/// <summary>A dataset list request: filters, sort and page (<c>limit</c> 0: no limit).</summary>
internal sealed record DatasetSearch
{
    public bool? Draft { get; init; }
    public bool? Public { get; init; }
    public bool? Invalidated { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Project { get; init; }
    public string? SearchString { get; init; }
    public string? SearchSubject { get; init; }
    public bool OnlyLastVersions { get; init; }
    public DatasetSortKey SortBy { get; init; } = DatasetSortKey.CreationDate;
    public bool Descending { get; init; } = true;
    public int Skip { get; init; }
    public int Limit { get; init; } = 30;
    public required DatasetVisibility Visibility { get; init; }
}
