namespace ImagingRepo.Service.Datasets;

/// <summary>
/// One dataset as <c>GET /datasets</c> shows it (<see cref="Item"/>) with the columns its filters and sorts read, as the
/// database stores them: the lower-cased keys are the ones the writes computed with the database's <c>lower()</c>, so
/// a search in memory matches exactly what the same search in SQL matches.
/// </summary>
/// <param name="Item">What the list shows.</param>
/// <param name="AuthorId">Whose draft or invalidated dataset this is.</param>
/// <param name="NextId">The next version, or null (the last version).</param>
/// <param name="NameKey">The lower-cased name (the name sort and one search key).</param>
/// <param name="AuthorNameKey">The lower-cased author name.</param>
/// <param name="IdKey">The lower-cased id.</param>
/// <param name="SearchText">The three keys joined by <c>DatasetSearchText.Separator</c>.</param>
/// <param name="CreationMillis">The creation date in Unix milliseconds (the default sort).</param>
internal sealed record DatasetListEntry(
    DatasetListItemWire Item,
    string AuthorId,
    string? NextId,
    string NameKey,
    string AuthorNameKey,
    string IdKey,
    string SearchText,
    long CreationMillis);
