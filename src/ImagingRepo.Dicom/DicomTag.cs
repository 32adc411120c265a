using System.Globalization;

namespace ImagingRepo.Dicom;

/// <summary>A DICOM attribute tag (group, element), stored as one 32-bit number so that lookups and ordering are integer operations.</summary>
public readonly struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>
{
    /// <summary>Creates a tag from its 32-bit value (group in the high 16 bits).</summary>
    /// <param name="value">The tag as <c>0xGGGGEEEE</c>.</param>
    public DicomTag(uint value) => Value = value;

    /// <summary>Creates a tag from its group and element numbers.</summary>
    /// <param name="group">The group number.</param>
    /// <param name="element">The element number.</param>
    public DicomTag(ushort group, ushort element) => Value = ((uint)group << 16) | element;

    /// <summary>The tag as <c>0xGGGGEEEE</c>.</summary>
    public uint Value { get; }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for tags of an odd group, including the odd groups up to 0007 that no standard or private element may use.</summary>
    public bool IsOddGroup => (Group & 1) == 1;

    /// <summary>True for tags of odd groups above 0008 (private data elements and their creators).</summary>
    public bool IsPrivate => IsOddGroup && Group > 0x0008;

    /// <summary>True for a private data element <c>(gggg,xxyy)</c> of an odd group, <c>xx</c> from 10 to FF: one that belongs to the block of a private creator.</summary>
    public bool IsPrivateDataElement => IsPrivate && Element >= 0x1000;

    /// <summary>True for a private creator element <c>(gggg,0010-00FF)</c> of an odd group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>For a private data element <c>(gggg,xxyy)</c>, the tag of its creator <c>(gggg,00xx)</c>; otherwise null.</summary>
    public DicomTag? PrivateCreatorTag =>
        IsPrivateDataElement ? new DicomTag(Group, (ushort)(Element >> 8)) : null;

    /// <summary>True for a group length element <c>(gggg,0000)</c>.</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>Parses <c>(GGGG,EEEE)</c>, <c>GGGG,EEEE</c> or <c>GGGGEEEE</c> (hexadecimal).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="FormatException">The text is not a tag.</exception>
    public static DicomTag Parse(string text) =>
        TryParse(text, out var tag) ? tag : throw new FormatException($"'{text}' is not a DICOM tag; expected (GGGG,EEEE) or GGGGEEEE.");

    /// <summary>Parses <c>(GGGG,EEEE)</c>, <c>GGGG,EEEE</c> or <c>GGGGEEEE</c>; a keyword of the data dictionary is also accepted.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="tag">The tag when the result is true.</param>
    /// <returns>True when <paramref name="text"/> is a tag.</returns>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.Length >= 2 && span[0] == '(' && span[^1] == ')')
        {
            span = span[1..^1];
        }

        Span<char> digits = stackalloc char[8];
        var count = 0;
        foreach (var c in span)
        {
            if (c is ',' or ' ')
            {
                continue;
            }

            if (count == 8 || !char.IsAsciiHexDigit(c))
            {
                return DicomDictionary.TryGetTag(text.Trim(), out tag);
            }

            digits[count++] = c;
        }

        if (count != 8 || !uint.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        tag = new DicomTag(value);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(DicomTag other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomTag other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (int)Value;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats the tag as <c>(GGGG,EEEE)</c> in upper-case hexadecimal.</summary>
    /// <returns>The formatted tag.</returns>
    public override string ToString() => string.Create(11, Value, static (span, value) =>
    {
        span[0] = '(';
        ((ushort)(value >> 16)).TryFormat(span[1..], out _, "X4", CultureInfo.InvariantCulture);
        span[5] = ',';
        ((ushort)value).TryFormat(span[6..], out _, "X4", CultureInfo.InvariantCulture);
        span[10] = ')';
    });

    /// <summary>Equality of two tags.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when equal.</returns>
    public static bool operator ==(DicomTag left, DicomTag right) => left.Value == right.Value;

    /// <summary>Inequality of two tags.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(DicomTag left, DicomTag right) => left.Value != right.Value;

    /// <summary>Orders tags by group, then element.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when <paramref name="left"/> sorts first.</returns>
    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    /// <summary>Orders tags by group, then element.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when <paramref name="left"/> sorts last.</returns>
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    /// <summary>Orders tags by group, then element.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when <paramref name="left"/> does not sort last.</returns>
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    /// <summary>Orders tags by group, then element.</summary>
    /// <param name="left">The first tag.</param>
    /// <param name="right">The second tag.</param>
    /// <returns>True when <paramref name="left"/> does not sort first.</returns>
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>Item <c>(FFFE,E000)</c>.</summary>
    public static DicomTag Item => new(DicomTagValues.Item);

    /// <summary>Item Delimitation Item <c>(FFFE,E00D)</c>.</summary>
    public static DicomTag ItemDelimitationItem => new(DicomTagValues.ItemDelimitationItem);

    /// <summary>Sequence Delimitation Item <c>(FFFE,E0DD)</c>.</summary>
    public static DicomTag SequenceDelimitationItem => new(DicomTagValues.SequenceDelimitationItem);
}
