using ImagingRepo.Service.Storage;

namespace ImagingRepo.Service.Datasets;

/// <summary>
/// Every dataset of one version of the database, answering list searches in memory with the filters, visibility rules,
/// sort orders and paging of the SQL search (<c>DatasetRepository.SearchListAsync</c>), which the tests hold it to.
/// Each sort order is built once per snapshot, when first asked for; a search then walks it once, counting every match
/// and keeping those of the page, so no search sorts.
/// </summary>
internal sealed class DatasetListSnapshot
{
    private readonly DatasetListEntry[] _entries;
    private readonly Lazy<DatasetListEntry[]>[] _orders;

    public DatasetListSnapshot(long version, IEnumerable<DatasetListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Version = version;
        _entries = [.. entries];
        _orders = [.. Enum.GetValues<DatasetSortKey>().Select(key => new Lazy<DatasetListEntry[]>(() => Sort(_entries, key)))];
    }

    /// <summary>The <c>dataset_list_version</c> read before the datasets were.</summary>
    public long Version { get; }

    /// <summary>How many datasets the snapshot holds.</summary>
    public int Count => _entries.Length;

    /// <summary>One page of the datasets matching <paramref name="search"/> (its search subject aside: that needs the studies) and the number of all matches.</summary>
    public (List<DatasetListItemWire> Page, int Total) Search(DatasetSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        if (!string.IsNullOrEmpty(search.SearchSubject)) throw new ArgumentException("a search by subject reads the studies: run it in SQL", nameof(search));
        var filter = new Filter(search);
        var ordered = _orders[(int)search.SortBy].Value;
        var end = search.Limit > 0 ? (long)search.Skip + search.Limit : long.MaxValue;
        var page = new List<DatasetListItemWire>(search.Limit > 0 ? Math.Min(search.Limit, ordered.Length) : 0);
        var total = 0;
        for (var i = 0; i < ordered.Length; i++)
        {
            var entry = ordered[search.Descending ? ordered.Length - 1 - i : i];
            if (!filter.Matches(entry)) continue;
            if (total >= search.Skip && total < end) page.Add(entry.Item);
            total++;
        }

        return (page, total);
    }

    /// <summary>Ascending by the key, then by id, as the SQL orders (descending is this order walked backwards, as <c>DESC</c> on both columns is).</summary>
    private static DatasetListEntry[] Sort(DatasetListEntry[] entries, DatasetSortKey key)
    {
        var text = CodePointComparer.Instance;
        Comparison<DatasetListEntry> byKey = key switch
        {
            DatasetSortKey.Name => (a, b) => text.Compare(a.NameKey, b.NameKey),
            DatasetSortKey.AuthorName => (a, b) => text.Compare(a.AuthorNameKey, b.AuthorNameKey),
            DatasetSortKey.StudiesCount => (a, b) => a.Item.StudiesCount.CompareTo(b.Item.StudiesCount),
            DatasetSortKey.SubjectsCount => (a, b) => a.Item.SubjectsCount.CompareTo(b.Item.SubjectsCount),
            DatasetSortKey.TimesUsed => (a, b) => a.Item.TimesUsed.CompareTo(b.Item.TimesUsed),
            _ => (a, b) => a.CreationMillis.CompareTo(b.CreationMillis),
        };
        var sorted = (DatasetListEntry[])entries.Clone();
        Array.Sort(sorted, (a, b) => byKey(a, b) is var c and not 0 ? c : text.Compare(a.Item.Id, b.Item.Id));
        return sorted;
    }

    /// <summary>The WHERE clause of the SQL search (<c>DatasetRepository.Filter</c>), clause by clause.</summary>
    private readonly struct Filter(DatasetSearch search)
    {
        private readonly string? _term = string.IsNullOrEmpty(search.SearchString) ? null : search.SearchString.ToLowerInvariant();
        private readonly bool _termHoldsSeparator = search.SearchString?.Contains(DatasetSearchText.Separator, StringComparison.Ordinal) == true;

        public bool Matches(DatasetListEntry entry)
        {
            var item = entry.Item;
            var visibility = search.Visibility;
            if (!visibility.Everything)
            {
                if (visibility.NonPublicProjects is { } projects && !item.Public && !projects.Contains(item.Project)) return false;
                if (visibility.NoDraftsOrInvalidated)
                {
                    if (item.Draft || item.Invalidated) return false;
                }
                else if (visibility.DraftsAndInvalidatedOnlyOf is { } author && (item.Draft || item.Invalidated) && !string.Equals(entry.AuthorId, author, StringComparison.Ordinal))
                {
                    return false;
                }
            }

            if (search.Draft is { } draft && item.Draft != draft) return false;
            if (search.Public is { } isPublic && item.Public != isPublic) return false;
            if (search.Invalidated is { } invalidated && item.Invalidated != invalidated) return false;
            if (search.Project is { } project && !string.Equals(item.Project, project, StringComparison.Ordinal)) return false;
            foreach (var tag in search.Tags)
            {
                if (!item.Tags.Contains(tag, StringComparer.Ordinal)) return false;
            }

            if (_term is { } term && !(_termHoldsSeparator
                    ? entry.NameKey.Contains(term, StringComparison.Ordinal) || entry.IdKey.Contains(term, StringComparison.Ordinal) || entry.AuthorNameKey.Contains(term, StringComparison.Ordinal)
                    : entry.SearchText.Contains(term, StringComparison.Ordinal)))
            {
                return false;
            }

            return !search.OnlyLastVersions || entry.NextId is null;
        }
    }
}
