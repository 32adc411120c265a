using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Datasets;

/// <summary>
/// The dataset list in memory, checked against the database on every search: the search reads
/// <c>dataset_list_version</c> (one row by key), which every committed write to a dataset moves, and answers from the
/// snapshot of that version, loading a new one first when the version moved. So a list never lags the database, also
/// when other service instances or a creation job write to it, yet the database no longer filters and sorts every
/// dataset for every request; the index needs memory for what the list shows of every dataset (a few hundred bytes
/// each). One load at a time: searches that find the version moved while another search loads wait for its snapshot.
/// </summary>
internal sealed partial class DatasetListIndex(DatasetRepository datasets, ILogger<DatasetListIndex> logger) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile DatasetListSnapshot? _snapshot;

    /// <summary>One page of the datasets matching <paramref name="search"/> (no search subject) and the number of all matches.</summary>
    public async Task<(List<DatasetListItemWire> Page, int Total)> SearchAsync(DbSession session, DatasetSearch search, CancellationToken cancellationToken)
    {
        var version = await datasets.ListVersionAsync(session, cancellationToken).ConfigureAwait(false);
        var snapshot = _snapshot;
        if (snapshot?.Version != version) snapshot = await LoadAsync(session, version, cancellationToken).ConfigureAwait(false);
        return snapshot.Search(search);
    }

    /// <summary>
    /// A snapshot of at least <paramref name="version"/>. The version is read before the rows, in the same session, so
    /// the rows are at least as new as the version they are filed under: a write committed in between makes the next
    /// search load again, never serve rows older than their version.
    /// </summary>
    private async Task<DatasetListSnapshot> LoadAsync(DbSession session, long version, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } current && current.Version == version) return current;
            var loaded = await datasets.ListVersionAsync(session, cancellationToken).ConfigureAwait(false);
            var entries = await datasets.ListEntriesAsync(session, cancellationToken).ConfigureAwait(false);
            var snapshot = new DatasetListSnapshot(loaded, entries);
            _snapshot = snapshot;
            LogLoaded(snapshot.Count, snapshot.Version);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _loading.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Dataset list loaded: {Count} datasets at version {Version}")]
    private partial void LogLoaded(int count, long version);
}
