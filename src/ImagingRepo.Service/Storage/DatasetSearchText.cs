namespace ImagingRepo.Service.Storage;

/// <summary>
/// <c>datasets.search_text</c>: the lower-cased name, id and author name joined by a line feed. A substring without a
/// line feed matches it exactly when it matches one of the three, so one LIKE does the work of three.
/// </summary>
internal static class DatasetSearchText
{
    public const string Separator = "\n";
}
