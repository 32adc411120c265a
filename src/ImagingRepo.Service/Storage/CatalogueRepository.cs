using System.Globalization;

namespace ImagingRepo.Service.Storage;

/// <summary>
/// The datasets the public catalogue lists: published (public, released, valid) and our own (not external), oldest
/// first with the id as tie-break, so that pages stay stable while a harvester walks them and new datasets land at the end.
/// </summary>
internal sealed class CatalogueRepository
{
    private const string Listed = "is_public = TRUE AND draft = FALSE AND invalidated = FALSE AND external = FALSE";

    /// <summary>The ids of one page, and how many datasets are listed in all.</summary>
    public async Task<(List<string> Ids, int Total)> PageAsync(DbSession session, int skip, int limit, CancellationToken cancellationToken)
    {
        var total = Convert.ToInt32(await session.ScalarAsync($"SELECT COUNT(*) FROM datasets WHERE {Listed}", cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        var ids = await session.QueryAsync($"SELECT id FROM datasets WHERE {Listed} ORDER BY creation_date, id LIMIT @limit OFFSET @skip",
            r => r.GetString(0), cancellationToken, ("@limit", limit), ("@skip", skip)).ConfigureAwait(false);
        return (ids, total);
    }
}
