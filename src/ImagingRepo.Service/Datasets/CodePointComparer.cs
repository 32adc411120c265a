namespace ImagingRepo.Service.Datasets;

/// <summary>
/// Orders strings by Unicode code point, which is the order of their UTF-8 bytes: what PostgreSQL's <c>"C"</c>
/// collation and SQLite's BINARY collation give. <see cref="string.CompareOrdinal(string, string)"/> compares UTF-16
/// units instead and puts a surrogate pair (U+10000 and above) before U+E000–U+FFFF; this comparer moves the surrogates
/// above that band where two strings first differ.
/// </summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static CodePointComparer Instance { get; } = new();

    private const char FirstSurrogate = '\uD800';
    private const char AfterSurrogates = '\uE000';

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var common = x.AsSpan().CommonPrefixLength(y);
        if (common == x.Length || common == y.Length) return x.Length.CompareTo(y.Length);
        return Weight(x[common]).CompareTo(Weight(y[common]));
    }

    /// <summary>A UTF-16 unit's place in code point order: surrogates after U+FFFF, U+E000–U+FFFF moved down to fill their gap.</summary>
    private static int Weight(char unit) => unit < FirstSurrogate ? unit : unit >= AfterSurrogates ? unit - (AfterSurrogates - FirstSurrogate) : unit + (char.MaxValue + 1 - AfterSurrogates);
}
