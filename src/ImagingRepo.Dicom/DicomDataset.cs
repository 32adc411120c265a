using System.Buffers.Binary;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;

namespace ImagingRepo.Dicom;

/// <summary>
/// A dataset (or a sequence item): elements kept in ascending tag order, found by binary search. Typed getters decode
/// text with the dataset's Specific Character Set (inherited from the enclosing dataset for items that have none).
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> elements;
    private DicomCharacterSet? characterSet;

    /// <summary>Creates an empty dataset.</summary>
    public DicomDataset() => elements = [];

    /// <summary>Creates an empty dataset with room for <paramref name="capacity"/> elements before it grows.</summary>
    internal DicomDataset(int capacity) => elements = new List<DicomElement>(capacity);

    /// <summary>Creates a dataset holding elements (in any order; a later element replaces an earlier one of the same tag).</summary>
    /// <param name="elements">The elements.</param>
    public DicomDataset(params IEnumerable<DicomElement> elements)
        : this()
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var element in elements)
        {
            Add(element);
        }
    }

    /// <summary>The dataset that holds this one as a sequence item, or null for a top-level dataset.</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>For items: true when written with undefined length and an item delimiter (the default; preserved from reading).</summary>
    public bool HasUndefinedLength { get; set; } = true;

    /// <summary>The number of elements.</summary>
    public int Count => elements.Count;

    /// <summary>The element with a tag, or null.</summary>
    /// <param name="tag">The tag.</param>
    public DicomElement? this[DicomTag tag] => IndexOf(tag) is var i and >= 0 ? elements[i] : null;

    /// <summary>The element at an index in tag order.</summary>
    /// <param name="index">The index.</param>
    /// <returns>The element.</returns>
    public DicomElement ElementAt(int index) => elements[index];

    /// <summary>
    /// The character set for text of this dataset: its own Specific Character Set (0008,0005), else the enclosing
    /// dataset's, else the default repertoire.
    /// </summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (characterSet is null)
            {
                if (this[DicomTags.SpecificCharacterSet] is DicomValueElement own)
                {
                    characterSet = DicomCharacterSet.FromBytes(own.Span);
                }
                else
                {
                    characterSet = Parent?.CharacterSet ?? DicomCharacterSet.Default;
                }
            }

            return characterSet;
        }
    }

    /// <summary>True when the dataset holds the tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>True when present.</returns>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Finds an element.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="element">The element when the result is true.</param>
    /// <returns>True when present.</returns>
    public bool TryGetElement(DicomTag tag, [NotNullWhen(true)] out DicomElement? element)
    {
        var index = IndexOf(tag);
        element = index >= 0 ? elements[index] : null;
        return index >= 0;
    }

    /// <summary>Adds an element, replacing any element of the same tag, and keeps tag order.</summary>
    /// <param name="element">The element.</param>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        if (element is DicomSequence sequence)
        {
            sequence.Owner = this;
        }

        if (element.Tag == DicomTags.SpecificCharacterSet)
        {
            InvalidateCharacterSet();
        }

        if (elements.Count == 0 || elements[^1].Tag < element.Tag)
        {
            elements.Add(element);
            return;
        }

        var index = IndexOf(element.Tag);
        if (index >= 0)
        {
            elements[index] = element;
        }
        else
        {
            elements.Insert(~index, element);
        }
    }

    /// <summary>Removes the element with a tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>True when an element was removed.</returns>
    public bool Remove(DicomTag tag)
    {
        var index = IndexOf(tag);
        if (index < 0)
        {
            return false;
        }

        elements.RemoveAt(index);
        if (tag == DicomTags.SpecificCharacterSet)
        {
            InvalidateCharacterSet();
        }

        return true;
    }

    /// <summary>Removes every element that matches a condition (this level only).</summary>
    /// <param name="match">The condition.</param>
    /// <returns>The number of elements removed.</returns>
    public int RemoveAll(Predicate<DicomElement> match)
    {
        var removed = elements.RemoveAll(match);
        InvalidateCharacterSet();
        return removed;
    }

    /// <summary>Removes every element.</summary>
    public void Clear()
    {
        elements.Clear();
        InvalidateCharacterSet();
    }

    private void InvalidateCharacterSet() => characterSet = null;

    /// <summary>Visits every element at every depth (depth first, in tag order), including the elements of sequence items.</summary>
    /// <returns>The elements with their depth (0 for this dataset).</returns>
    public IEnumerable<(DicomElement Element, int Depth)> Walk() => Walk(this, 0);

    private static IEnumerable<(DicomElement, int)> Walk(DicomDataset dataset, int depth)
    {
        foreach (var element in dataset.elements)
        {
            yield return (element, depth);
            if (element is DicomSequence sequence)
            {
                foreach (var item in sequence.Items)
                {
                    foreach (var nested in Walk(item, depth + 1))
                    {
                        yield return nested;
                    }
                }
            }
        }
    }

    /// <summary>Makes a deep copy (values in memory are shared, being read-only).</summary>
    /// <returns>The copy.</returns>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { HasUndefinedLength = HasUndefinedLength };
        foreach (var element in elements)
        {
            if (element is DicomSequence sequence)
            {
                var cloned = new DicomSequence(element.Tag) { HasUndefinedLength = sequence.HasUndefinedLength, WasUnknownVR = sequence.WasUnknownVR };
                foreach (var item in sequence.Items)
                {
                    var itemCopy = item.Clone();
                    itemCopy.Parent = copy;
                    cloned.Items.Add(itemCopy);
                }

                cloned.Owner = copy;
                copy.elements.Add(cloned);
            }
            else
            {
                copy.elements.Add(element);
            }
        }

        return copy;
    }

    // ---- typed access ----

    /// <summary>The whole text value (all values with their backslashes), decoded and without trailing padding; null when absent or not a value element.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The text or null.</returns>
    public string? GetString(DicomTag tag) => TryGetString(tag, out var value) ? value : null;

    /// <summary>Gets the whole text value, decoded with the character set and without trailing padding.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The text when the result is true.</param>
    /// <returns>True when the element is present with a value element.</returns>
    public bool TryGetString(DicomTag tag, [NotNullWhen(true)] out string? value)
    {
        if (this[tag] is not DicomValueElement element)
        {
            value = null;
            return false;
        }

        value = DecodeString(element);
        return true;
    }

    /// <summary>The values of a multi-valued text element (split at backslashes, each trimmed per VR); empty when absent.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>The values.</returns>
    public string[] GetStrings(DicomTag tag)
    {
        if (this[tag] is not DicomValueElement element)
        {
            return [];
        }

        var text = DecodeString(element);
        if (text.Length == 0)
        {
            return [];
        }

        if (element.VR.IsSingleValued())
        {
            return [text];
        }

        var parts = text.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = DicomValueParser.TrimValue(parts[i], element.VR);
        }

        return parts;
    }

    /// <summary>Decodes the text of an element with this dataset's character set.</summary>
    /// <param name="element">The element.</param>
    /// <returns>The text without trailing padding.</returns>
    public string DecodeString(DicomValueElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var bytes = element.IsLazy ? element.GetBytes().Span : element.Span;
        var text = element.VR.IsCharacterSetAware() ? CharacterSet.Decode(bytes, element.VR) : Encoding.Latin1.GetString(bytes);
        return DicomValueParser.TrimValue(text, element.VR);
    }

    /// <summary>Gets an integer: the first value of IS, US, SS, UL, SL, SV, UV (checked for range).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and convertible.</returns>
    public bool TryGetInt32(DicomTag tag, out int value)
    {
        value = 0;
        if (!TryGetInt64(tag, 0, out var wide) || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        value = (int)wide;
        return true;
    }

    /// <summary>Gets one integer value of IS, US, SS, UL, SL, SV, UV, AT-free binary integers.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="index">The value index (VM position).</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and convertible.</returns>
    public bool TryGetInt64(DicomTag tag, int index, out long value)
    {
        value = 0;
        if (this[tag] is not DicomValueElement element || index < 0)
        {
            return false;
        }

        var span = element.IsLazy ? element.GetBytes().Span : element.Span;
        switch (element.VR)
        {
            case DicomVR.IS:
                var values = GetStrings(tag);
                return index < values.Length && long.TryParse(values[index], System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowLeadingWhite | System.Globalization.NumberStyles.AllowTrailingWhite, System.Globalization.CultureInfo.InvariantCulture, out value);
            case DicomVR.US when span.Length >= (index + 1) * 2:
                value = BinaryPrimitives.ReadUInt16LittleEndian(span[(index * 2)..]);
                return true;
            case DicomVR.SS when span.Length >= (index + 1) * 2:
                value = BinaryPrimitives.ReadInt16LittleEndian(span[(index * 2)..]);
                return true;
            case DicomVR.UL when span.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadUInt32LittleEndian(span[(index * 4)..]);
                return true;
            case DicomVR.SL when span.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadInt32LittleEndian(span[(index * 4)..]);
                return true;
            case DicomVR.SV when span.Length >= (index + 1) * 8:
                value = BinaryPrimitives.ReadInt64LittleEndian(span[(index * 8)..]);
                return true;
            case DicomVR.UV when span.Length >= (index + 1) * 8:
                var unsigned = BinaryPrimitives.ReadUInt64LittleEndian(span[(index * 8)..]);
                value = (long)unsigned;
                return unsigned <= long.MaxValue;
            default:
                return false;
        }
    }

    /// <summary>Gets a number: the first value of DS, IS, FL, FD or an integer VR.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and convertible.</returns>
    public bool TryGetDouble(DicomTag tag, out double value) => TryGetDouble(tag, 0, out value);

    /// <summary>Gets one number value of DS, IS, FL, FD or an integer VR.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="index">The value index.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and convertible.</returns>
    public bool TryGetDouble(DicomTag tag, int index, out double value)
    {
        value = 0;
        if (this[tag] is not DicomValueElement element || index < 0)
        {
            return false;
        }

        var span = element.IsLazy ? element.GetBytes().Span : element.Span;
        switch (element.VR)
        {
            case DicomVR.DS:
            case DicomVR.IS:
                var values = GetStrings(tag);
                return index < values.Length && DicomValueParser.TryParseDecimalString(values[index], out value);
            case DicomVR.FL when span.Length >= (index + 1) * 4:
                value = BinaryPrimitives.ReadSingleLittleEndian(span[(index * 4)..]);
                return true;
            case DicomVR.FD when span.Length >= (index + 1) * 8:
                value = BinaryPrimitives.ReadDoubleLittleEndian(span[(index * 8)..]);
                return true;
            default:
                if (TryGetInt64(tag, index, out var integer))
                {
                    value = integer;
                    return true;
                }

                return false;
        }
    }

    /// <summary>Gets a decimal string (DS) or integer string (IS) value exactly.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="index">The value index.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and convertible.</returns>
    public bool TryGetDecimal(DicomTag tag, int index, out decimal value)
    {
        value = 0;
        var values = GetStrings(tag);
        return index >= 0 && index < values.Length && decimal.TryParse(values[index], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Gets a date (DA, first value; also the legacy <c>YYYY.MM.DD</c> form).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The date when the result is true.</param>
    /// <returns>True when present and valid.</returns>
    public bool TryGetDate(DicomTag tag, out DateOnly value)
    {
        value = default;
        var values = GetStrings(tag);
        return values.Length > 0 && DicomValueParser.TryParseDate(values[0], out value);
    }

    /// <summary>Gets a date range (DA query form <c>from-to</c>, either end open); a single date gives equal ends.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="from">The first date, or null when open.</param>
    /// <param name="to">The last date, or null when open.</param>
    /// <returns>True when present and valid.</returns>
    public bool TryGetDateRange(DicomTag tag, out DateOnly? from, out DateOnly? to)
    {
        from = to = null;
        var text = GetString(tag);
        return text is not null && DicomValueParser.TryParseDateRange(text, out from, out to);
    }

    /// <summary>Gets a time (TM, first value; fractions to 100 ns, missing parts are zero).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The time when the result is true.</param>
    /// <returns>True when present and valid.</returns>
    public bool TryGetTime(DicomTag tag, out TimeOnly value)
    {
        value = default;
        var values = GetStrings(tag);
        return values.Length > 0 && DicomValueParser.TryParseTime(values[0], out value);
    }

    /// <summary>Gets a date-time (DT, first value) with its UTC offset (the Timezone Offset From UTC (0008,0201) of the dataset, else UTC).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when present and valid.</returns>
    public bool TryGetDateTime(DicomTag tag, out DateTimeOffset value)
    {
        value = default;
        var values = GetStrings(tag);
        TimeSpan? defaultOffset = null;
        if (GetString(DicomTags.TimezoneOffsetFromUTC) is { Length: 5 } offsetText && DicomValueParser.TryParseOffset(offsetText, out var parsed))
        {
            defaultOffset = parsed;
        }

        return values.Length > 0 && DicomValueParser.TryParseDateTime(values[0], defaultOffset ?? TimeSpan.Zero, out value);
    }

    /// <summary>Gets a person name (PN, first value) split into its component groups.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The name when the result is true.</param>
    /// <returns>True when present.</returns>
    public bool TryGetPersonName(DicomTag tag, [NotNullWhen(true)] out DicomPersonName? value)
    {
        var values = GetStrings(tag);
        value = values.Length > 0 ? DicomPersonName.Parse(values[0]) : null;
        return values.Length > 0;
    }

    /// <summary>Gets an attribute tag value (AT).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="index">The value index.</param>
    /// <param name="value">The tag value when the result is true.</param>
    /// <returns>True when present.</returns>
    public bool TryGetAttributeTag(DicomTag tag, int index, out DicomTag value)
    {
        value = default;
        if (this[tag] is not DicomValueElement { VR: DicomVR.AT } element || index < 0 || element.Span.Length < (index + 1) * 4)
        {
            return false;
        }

        var span = element.Span[(index * 4)..];
        value = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span), BinaryPrimitives.ReadUInt16LittleEndian(span[2..]));
        return true;
    }

    /// <summary>The values of a binary numeric element as a span of <typeparamref name="T"/> (e.g. <c>ushort</c> for US/OW, <c>float</c> for FL/OF).</summary>
    /// <typeparam name="T">The number type matching the VR.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <returns>The values, empty when absent (lazily kept values are read).</returns>
    public ReadOnlySpan<T> GetValues<T>(DicomTag tag)
        where T : unmanaged
    {
        if (this[tag] is not DicomValueElement element)
        {
            return [];
        }

        var bytes = element.IsLazy ? element.GetBytes().Span : element.Span;
        return MemoryMarshal.Cast<byte, T>(bytes);
    }

    /// <summary>Gets a sequence.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="sequence">The sequence when the result is true.</param>
    /// <returns>True when present as a sequence.</returns>
    public bool TryGetSequence(DicomTag tag, [NotNullWhen(true)] out DicomSequence? sequence)
    {
        sequence = this[tag] as DicomSequence;
        return sequence is not null;
    }

    // ---- editing ----

    /// <summary>Sets a text value with the dictionary VR of the tag (LO for unknown tags), encoded with the dataset's character set and padded to even length.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The text (several values joined with backslashes).</param>
    public void SetString(DicomTag tag, string value)
    {
        var vr = DicomDictionary.GetVR(tag);
        SetString(tag, vr == DicomVR.UN ? DicomVR.LO : vr, value);
    }

    /// <summary>Sets a text value with a given VR, encoded with the dataset's character set and padded to even length.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR (a text VR).</param>
    /// <param name="value">The text.</param>
    public void SetString(DicomTag tag, DicomVR vr, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!vr.IsText())
        {
            throw new ArgumentException($"{vr} is not a text VR", nameof(vr));
        }

        var encoding = tag == DicomTags.SpecificCharacterSet ? DicomCharacterSet.Default : CharacterSet;
        var bytes = vr.IsCharacterSetAware() ? encoding.Encode(value) : Encoding.ASCII.GetBytes(value);
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
            bytes[^1] = vr.PaddingByte();
        }

        Add(new DicomValueElement(tag, vr, bytes));
    }

    /// <summary>Sets binary values of a numeric VR.</summary>
    /// <typeparam name="T">The number type matching the VR.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="values">The values.</param>
    public void SetValues<T>(DicomTag tag, DicomVR vr, params ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values).ToArray();
        if ((bytes.Length & 1) == 1)
        {
            Array.Resize(ref bytes, bytes.Length + 1);
        }

        Add(new DicomValueElement(tag, vr, bytes));
    }

    /// <summary>Replaces the value of an existing element with the empty value (same tag and VR); sequences lose their items.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>True when the element was present.</returns>
    public bool SetEmpty(DicomTag tag)
    {
        switch (this[tag])
        {
            case null:
                return false;
            case DicomSequence sequence:
                sequence.Items.Clear();
                return true;
            case var element:
                Add(new DicomValueElement(tag, element.VR == DicomVR.None ? DicomVR.UN : element.VR, ReadOnlyMemory<byte>.Empty));
                return true;
        }
    }

    private int IndexOf(DicomTag tag)
    {
        var span = CollectionsMarshal.AsSpan(elements);
        int lo = 0, hi = span.Length - 1;
        var key = tag.Value;
        while (lo <= hi)
        {
            var mid = (int)((uint)(lo + hi) >> 1);
            var value = span[mid].Tag.Value;
            if (value == key)
            {
                return mid;
            }

            if (value < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    /// <summary>Appends an element read from input, keeping order (fast path when tags ascend, as they should).</summary>
    internal void AddRead(DicomElement element)
    {
        if (element is DicomSequence sequence)
        {
            sequence.Owner = this;
        }

        if (elements.Count == 0 || elements[^1].Tag < element.Tag)
        {
            elements.Add(element);
        }
        else
        {
            Add(element);
        }
    }

    /// <summary>Enumerates the elements in tag order; <c>foreach</c> over a dataset allocates nothing.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(elements);

    IEnumerator<DicomElement> IEnumerable<DicomElement>.GetEnumerator() => elements.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => elements.GetEnumerator();

    /// <summary>Enumerates a dataset's elements in tag order; changing the dataset while enumerating throws.</summary>
    public struct Enumerator : IEnumerator<DicomElement>
    {
        private readonly List<DicomElement> elements;
        private List<DicomElement>.Enumerator inner;

        internal Enumerator(List<DicomElement> elements)
        {
            this.elements = elements;
            inner = elements.GetEnumerator();
        }

        /// <inheritdoc />
        public readonly DicomElement Current => inner.Current;

        readonly object IEnumerator.Current => inner.Current;

        /// <inheritdoc />
        public bool MoveNext() => inner.MoveNext();

        /// <inheritdoc />
        public void Dispose() => inner.Dispose();

        void IEnumerator.Reset() => inner = elements.GetEnumerator();
    }
}
