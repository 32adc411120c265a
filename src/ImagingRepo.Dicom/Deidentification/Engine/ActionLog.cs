namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// What one instance's de-identification did to which tags, as receipts report it: one entry per element acted on,
/// kept as packed numbers (every element of every instance is logged, so a dictionary and a set per action code would
/// cost more than the action itself), summarized per receipt code only when a receipt is made.
/// </summary>
internal sealed class ActionLog
{
    /// <summary>The receipt codes, by <see cref="CodeOf"/> index.</summary>
    private static readonly string[] Codes = ["K", "X", "Z", "D", "C", "U", "R", "P"];

    /// <summary>The index of the receipt code X (removed).</summary>
    public const int Removed = 1;

    private ulong[] _entries = new ulong[64];
    private int _count;

    /// <summary>The receipt code index of an action.</summary>
    public static int CodeOf(ElementActionKind kind) => kind switch
    {
        ElementActionKind.Keep => 0,
        ElementActionKind.Zero => 2,
        ElementActionKind.Dummy => 3,
        ElementActionKind.Clean => 4,
        ElementActionKind.ReplaceUid => 5,
        ElementActionKind.Replace => 6,
        ElementActionKind.PseudonymPatientId or ElementActionKind.PseudonymPatientName => 7,
        _ => Removed,
    };

    /// <summary>Logs that the action of code index <paramref name="code"/> was applied to an element of <paramref name="tag"/>.</summary>
    public void Add(int code, uint tag)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _count * 2);
        }

        _entries[_count++] = ((ulong)code << 32) | tag;
    }

    /// <summary>
    /// The count of elements per receipt code and each code's distinct tags in ascending order (as receipt text), codes
    /// in the order of <see cref="Codes"/>; codes never applied are left out.
    /// </summary>
    public (Dictionary<string, int> Counts, Dictionary<string, IReadOnlyList<string>> Tags) Summarize()
    {
        var entries = _entries.AsSpan(0, _count);
        entries.Sort();
        var counts = new Dictionary<string, int>(Codes.Length, StringComparer.Ordinal);
        var tags = new Dictionary<string, IReadOnlyList<string>>(Codes.Length, StringComparer.Ordinal);
        var start = 0;
        while (start < entries.Length)
        {
            var code = (int)(entries[start] >> 32);
            var end = start;
            var distinct = 0;
            for (; end < entries.Length && (int)(entries[end] >> 32) == code; end++)
            {
                distinct += end == start || entries[end] != entries[end - 1] ? 1 : 0;
            }

            var codeTags = new uint[distinct];
            for (int i = start, j = 0; i < end; i++)
            {
                if (i == start || entries[i] != entries[i - 1])
                {
                    codeTags[j++] = (uint)entries[i];
                }
            }

            counts[Codes[code]] = end - start;
            tags[Codes[code]] = new ReceiptTagList(codeTags);
            start = end;
        }

        return (counts, tags);
    }
}
