using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;

namespace ImagingRepo.Dicom.Deidentification.Receipts;

/// <summary>
/// The tags one action was applied to, as receipts list them (<c>(GGGG,EEEE)</c>, ascending): kept as numbers, with
/// each tag's text made and JSON-encoded once per process, since the profile's tags recur in every receipt.
/// </summary>
internal sealed class ReceiptTagList(uint[] tags) : IReadOnlyList<string>
{
    /// <summary>Distinct tags whose text is remembered; private tags vary freely, so later ones are formatted each time.</summary>
    private const int CacheLimit = 8192;

    private static readonly ConcurrentDictionary<uint, JsonEncodedText> Names = new();

    /// <inheritdoc />
    public string this[int index] => Name(tags[index]).Value;

    /// <inheritdoc />
    public int Count => tags.Length;

    /// <summary>Writes the tag texts as JSON string values.</summary>
    public void WriteValues(Utf8JsonWriter json)
    {
        foreach (var tag in tags)
        {
            json.WriteStringValue(Name(tag));
        }
    }

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator()
    {
        foreach (var tag in tags)
        {
            yield return Name(tag).Value;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static JsonEncodedText Name(uint tag)
    {
        if (Names.TryGetValue(tag, out var name))
        {
            return name;
        }

        name = JsonEncodedText.Encode(new DicomTag(tag).ToString());
        if (Names.Count < CacheLimit)
        {
            Names.TryAdd(tag, name);
        }

        return name;
    }
}
