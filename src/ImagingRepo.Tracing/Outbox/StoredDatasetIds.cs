using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Outbox;

/// <summary>
/// The dataset ids of a stored trace, in the trace's order, as the dispatcher needs them for each trace of a batch.
/// Parsing the canonical JSON costs about as much per trace as the rest of a batch's work on this side of the ledger,
/// so the '|'-joined <c>datasets</c> column is split instead wherever it is exact: it cannot tell the id "a|b" from the
/// ids "a" and "b", nor one empty id from none, but when the JSON holds no '|' and no escape (<c>\</c>), no id holds
/// '|', and a column with more than its two outer separators gives exactly the ids. Every other trace is parsed.
/// </summary>
internal static class StoredDatasetIds
{
    /// <summary>The <c>datasets</c> column of a trace: its dataset ids joined by '|', with a '|' before and after.</summary>
    public static string Join(IReadOnlyList<string> datasetIds) => "|" + string.Join('|', datasetIds) + "|";

    /// <summary>The dataset ids of the trace stored as <paramref name="json"/> with the column <paramref name="joined"/> (null when absent).</summary>
    public static IReadOnlyList<string> Read(string? joined, byte[] json)
    {
        if (joined is { Length: > 2 } && joined[0] == '|' && joined[^1] == '|' && !json.AsSpan().ContainsAny((byte)'|', (byte)'\\'))
        {
            return joined[1..^1].Split('|');
        }

        return TraceSerializer.Deserialize(json).ReferencedDatasetIds;
    }
}
