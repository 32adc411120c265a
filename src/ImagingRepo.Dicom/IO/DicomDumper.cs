using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace ImagingRepo.Dicom.IO;

/// <summary>Options of <see cref="DicomDumper"/>.</summary>
public sealed class DicomDumpOptions
{
    /// <summary>Text values longer than this many characters are cut with "..." (default 64; 0 for no limit).</summary>
    public int MaxTextLength { get; init; } = 64;

    /// <summary>Binary values show at most this many numbers or bytes (default 16; 0 for no limit).</summary>
    public int MaxBinaryValues { get; init; } = 16;

    /// <summary>Read options (lazy threshold, strictness).</summary>
    public DicomReadOptions ReadOptions { get; init; } = DicomReadOptions.Default;
}

/// <summary>
/// Writes a dcmdump-like listing of a file as UTF-8 in one pass over a <see cref="DicomStreamReader"/>: one line per
/// element, sequence, item and fragment, indented by nesting, with VR, value (or length for values kept in the file;
/// registered UIDs by keyword), then length, value multiplicity and keyword (private elements by their private-dictionary
/// name). Nothing is allocated per element beyond the decoded text of non-ASCII values.
/// </summary>
public static class DicomDumper
{
    private const int ValueColumn = 52;

    /// <summary>Dumps a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="output">Where the UTF-8 text goes.</param>
    /// <param name="options">Options.</param>
    /// <exception cref="DicomReadException">The file cannot be read as DICOM (output may hold the lines written so far).</exception>
    public static void DumpFile(string path, IBufferWriter<byte> output, DicomDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new DicomDumpOptions();
        try
        {
            using var reader = DicomStreamReader.Open(path, options.ReadOptions);
            Dump(reader, output, options);
        }
        catch (DicomReadException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new DicomReadException(path, 0, null, e.Message, e);
        }
    }

    /// <summary>Dumps what a reader reads (the meta group, then the dataset).</summary>
    /// <param name="reader">A new reader.</param>
    /// <param name="output">Where the UTF-8 text goes.</param>
    /// <param name="options">Options.</param>
    public static void Dump(DicomStreamReader reader, IBufferWriter<byte> output, DicomDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        options ??= new DicomDumpOptions();
        var w = new LineWriter(output);
        w.Ascii("# "u8);
        w.Text(reader.SourceName);
        w.Ascii(": "u8);
        w.Text(reader.TransferSyntax.Name);
        w.NewLine();
        foreach (var element in reader.FileMetaInformation)
        {
            if (element is DicomValueElement value)
            {
                WriteElement(ref w, options, element.Tag, element.VR, (uint)value.Length, value.Span, null, 0, DicomCharacterSet.Default, -1);
            }
        }

        var charsets = new Stack<DicomCharacterSet>();
        var charset = DicomCharacterSet.Default;
        while (reader.Read())
        {
            var depth = reader.Depth;
            switch (reader.TokenType)
            {
                case DicomTokenType.Element:
                    if (reader.Tag == DicomTags.SpecificCharacterSet && !reader.HasValueReference)
                    {
                        charset = DicomCharacterSet.FromBytes(reader.ValueSpan);
                    }

                    WriteElement(ref w, options, reader.Tag, reader.VR, reader.Length, reader.ValueSpan, reader.ValueReference, depth, charset, reader.PrivateEntry);
                    break;
                case DicomTokenType.SequenceStart:
                    w.Indent(depth);
                    w.Tag(reader.Tag);
                    w.Ascii(reader.VR == DicomVR.UN ? " UN (Sequence read as implicit VR)"u8 : " SQ (Sequence)"u8);
                    w.PadTo(ValueColumn + (2 * depth));
                    w.Ascii(reader.Length == DicomLengths.Undefined ? "# u/l, 1 "u8 : "# "u8);
                    if (reader.Length != DicomLengths.Undefined)
                    {
                        w.Number(reader.Length);
                        w.Ascii(", 1 "u8);
                    }

                    w.Keyword(reader.Tag, reader.PrivateEntry);
                    w.NewLine();
                    break;
                case DicomTokenType.ItemStart:
                    charsets.Push(charset);
                    w.Indent(depth);
                    w.Ascii("(FFFE,E000) na (Item)"u8);
                    w.PadTo(ValueColumn + (2 * depth));
                    w.Ascii(reader.Length == DicomLengths.Undefined ? "# u/l, 1 Item"u8 : "# "u8);
                    if (reader.Length != DicomLengths.Undefined)
                    {
                        w.Number(reader.Length);
                        w.Ascii(", 1 Item"u8);
                    }

                    w.NewLine();
                    break;
                case DicomTokenType.ItemEnd:
                    charset = charsets.Count > 0 ? charsets.Pop() : charset;
                    w.Indent(depth);
                    w.Ascii("(FFFE,E00D) na (ItemDelimitationItem)"u8);
                    w.NewLine();
                    break;
                case DicomTokenType.SequenceEnd:
                case DicomTokenType.FragmentsEnd:
                    w.Indent(depth);
                    w.Ascii("(FFFE,E0DD) na (SequenceDelimitationItem)"u8);
                    w.NewLine();
                    break;
                case DicomTokenType.FragmentsStart:
                    w.Indent(depth);
                    w.Tag(reader.Tag);
                    w.Ascii(" "u8);
                    w.Ascii(reader.VR == DicomVR.OW ? "OW"u8 : "OB"u8);
                    w.Ascii(" (PixelSequence)"u8);
                    w.PadTo(ValueColumn + (2 * depth));
                    w.Ascii("# u/l, 1 "u8);
                    w.Keyword(reader.Tag, -1);
                    w.NewLine();
                    break;
                case DicomTokenType.Fragment:
                    w.Indent(depth);
                    w.Ascii("(FFFE,E000) pi "u8);
                    if (reader.HasValueReference)
                    {
                        w.Ascii("(not loaded)"u8);
                    }
                    else
                    {
                        Hex(ref w, reader.ValueSpan, 1, options.MaxBinaryValues);
                    }

                    w.PadTo(ValueColumn + (2 * depth));
                    w.Ascii("# "u8);
                    w.Number(reader.Length);
                    w.Ascii(", 1 Item"u8);
                    w.NewLine();
                    break;
            }
        }

        foreach (var diagnostic in reader.Diagnostics)
        {
            w.Ascii("# warning: "u8);
            w.Text(diagnostic.ToString());
            w.NewLine();
        }

        w.Commit();
    }

    private static void WriteElement(ref LineWriter w, DicomDumpOptions options, DicomTag tag, DicomVR vr, uint length, ReadOnlySpan<byte> value, DicomValueReference? reference, int depth, DicomCharacterSet charset, int privateEntry)
    {
        w.Indent(depth);
        w.Tag(tag);
        w.Byte((byte)' ');
        if (vr == DicomVR.None)
        {
            w.Ascii("??"u8);
        }
        else
        {
            w.Byte((byte)((ushort)vr >> 8));
            w.Byte((byte)vr);
        }

        w.Byte((byte)' ');
        var isText = vr.IsText();
        var multiplicity = -1L; // counted below unless writing the value counted it
        if (reference is not null)
        {
            w.Ascii("(not loaded: "u8);
            w.Number(reference.Length);
            w.Ascii(" bytes at offset "u8);
            w.Number(reference.Offset);
            w.Byte((byte)')');
        }
        else if (vr == DicomVR.UI && DicomUid.KeywordOf(value) is { } uidName)
        {
            // a registered UID (transfer syntax, SOP class, ...) by its PS3.6 keyword, as dcmdump does: =CTImageStorage
            w.Byte((byte)'=');
            w.Ascii(uidName);
        }
        else if (isText)
        {
            multiplicity = TextValue(ref w, value, vr, charset, options.MaxTextLength);
        }
        else
        {
            BinaryValue(ref w, value, vr, options.MaxBinaryValues);
        }

        w.PadTo(ValueColumn + (2 * depth));
        w.Ascii("# "u8);
        w.Number(length);
        w.Ascii(", "u8);
        if (multiplicity < 0)
        {
            multiplicity = isText ? CountTextValues(vr, value, reference) : CountBinaryValues(vr, reference?.Length ?? value.Length);
        }

        w.Number(multiplicity);
        w.Byte((byte)' ');
        w.Keyword(tag, privateEntry);
        w.NewLine();
    }

    /// <summary>
    /// The value multiplicity of a text value as dcmdump's VM column counts it: 0 when nothing but padding is there, else
    /// the values between backslashes (1 for the single-valued LT, ST, UT, UR).
    /// </summary>
    internal static long CountTextValues(DicomVR vr, ReadOnlySpan<byte> value, DicomValueReference? reference)
    {
        if (reference is not null)
        {
            // a multi-valued text kept in the file (64 KiB of DS, say) is rare enough to be read for counting
            return reference.Length == 0 ? 0 : vr.IsSingleValued() ? 1 : reference.ToArray().AsSpan().Count((byte)'\\') + 1;
        }

        // padding is not a value; trimmed by hand, as TextValue does: the per-element cost of a vectorized search's
        // setup exceeds the few bytes it looks at
        var end = value.Length;
        while (end > 0 && value[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        return CountTrimmedTextValues(vr, value[..end]);
    }

    /// <summary>The value multiplicity of a text value whose padding is already trimmed.</summary>
    private static long CountTrimmedTextValues(DicomVR vr, ReadOnlySpan<byte> value) =>
        value.IsEmpty ? 0 : vr.IsSingleValued() ? 1 : value.Count((byte)'\\') + 1;

    /// <summary>
    /// The value multiplicity of a binary value as dcmdump's VM column counts it: for binary numbers, the length over the
    /// number size; 1 for the other binary VRs (OB, OW, OF, UN, ...), even when empty.
    /// </summary>
    internal static long CountBinaryValues(DicomVR vr, long length) => vr switch
    {
        DicomVR.US or DicomVR.SS => length / 2,
        DicomVR.AT or DicomVR.UL or DicomVR.SL or DicomVR.FL => length / 4,
        DicomVR.FD or DicomVR.SV or DicomVR.UV => length / 8,
        _ => 1,
    };

    /// <summary>Writes a text value (padding trimmed, cut at <paramref name="max"/>) and returns its value multiplicity.</summary>
    private static long TextValue(ref LineWriter w, ReadOnlySpan<byte> value, DicomVR vr, DicomCharacterSet charset, int max)
    {
        // Trailing padding is not part of the value.
        var end = value.Length;
        while (end > 0 && value[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        value = value[..end];
        if (value.IsEmpty)
        {
            w.Ascii("(no value available)"u8);
            return 0;
        }

        w.Byte((byte)'[');
        if (value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E) < 0)
        {
            var cut = max > 0 && value.Length > max;
            w.Ascii(cut ? value[..max] : value);
            if (cut)
            {
                w.Ascii("..."u8);
            }
        }
        else
        {
            var text = vr.IsCharacterSetAware() ? charset.Decode(value, vr) : Encoding.Latin1.GetString(value);
            var cut = max > 0 && text.Length > max;
            if (cut)
            {
                text = text[..max];
            }

            w.Text(text, replaceControl: true);
            if (cut)
            {
                w.Ascii("..."u8);
            }
        }

        w.Byte((byte)']');
        return CountTrimmedTextValues(vr, value);
    }

    private static void BinaryValue(ref LineWriter w, ReadOnlySpan<byte> value, DicomVR vr, int max)
    {
        if (value.IsEmpty)
        {
            w.Ascii("(no value available)"u8);
            return;
        }

        var size = vr switch
        {
            DicomVR.US or DicomVR.SS or DicomVR.AT => 2,
            DicomVR.UL or DicomVR.SL or DicomVR.FL => 4,
            DicomVR.FD or DicomVR.SV or DicomVR.UV => 8,
            _ => 0,
        };
        if (size == 0)
        {
            Hex(ref w, value, vr is DicomVR.OW ? 2 : vr is DicomVR.OF or DicomVR.OL ? 4 : vr is DicomVR.OD or DicomVR.OV ? 8 : 1, max);
            return;
        }

        if (vr == DicomVR.AT)
        {
            size = 4;
        }

        var count = value.Length / size;
        var shown = max > 0 ? Math.Min(count, max) : count;
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                w.Byte((byte)'\\');
            }

            var at = value.Slice(i * size, size);
            switch (vr)
            {
                case DicomVR.US: w.Number(BinaryPrimitives.ReadUInt16LittleEndian(at)); break;
                case DicomVR.SS: w.Number(BinaryPrimitives.ReadInt16LittleEndian(at)); break;
                case DicomVR.UL: w.Number(BinaryPrimitives.ReadUInt32LittleEndian(at)); break;
                case DicomVR.SL: w.Number(BinaryPrimitives.ReadInt32LittleEndian(at)); break;
                case DicomVR.SV: w.Number(BinaryPrimitives.ReadInt64LittleEndian(at)); break;
                case DicomVR.UV: w.Number(BinaryPrimitives.ReadUInt64LittleEndian(at)); break;
                case DicomVR.FL: w.Float(BinaryPrimitives.ReadSingleLittleEndian(at)); break;
                case DicomVR.FD: w.Float(BinaryPrimitives.ReadDoubleLittleEndian(at)); break;
                case DicomVR.AT: w.Tag(new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(at), BinaryPrimitives.ReadUInt16LittleEndian(at[2..]))); break;
            }
        }

        if (shown < count)
        {
            w.Ascii("\\..."u8);
        }
        else if (value.Length % size != 0)
        {
            w.Ascii(" (+"u8);
            w.Number(value.Length % size);
            w.Ascii(" stray bytes)"u8);
        }
    }

    private static void Hex(ref LineWriter w, ReadOnlySpan<byte> value, int size, int max)
    {
        if (value.IsEmpty)
        {
            w.Ascii("(no value available)"u8);
            return;
        }

        if (value.Length % size != 0)
        {
            size = 1;
        }

        var count = value.Length / size;
        var shown = max > 0 ? Math.Min(count, max) : count;
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                w.Byte((byte)'\\');
            }

            // Numbers are little-endian in memory: print the most significant byte first.
            for (var b = size - 1; b >= 0; b--)
            {
                w.HexByte(value[(i * size) + b]);
            }
        }

        if (shown < count)
        {
            w.Ascii("\\..."u8);
        }
    }

    /// <summary>Appends ASCII/UTF-8 to an <see cref="IBufferWriter{T}"/> a line at a time.</summary>
    private ref struct LineWriter(IBufferWriter<byte> output)
    {
        private Span<byte> span;
        private int used;
        private int lineStart;

        // The check is inlined into every write; the rare refill is not, so that the writes stay small enough to inline.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Reserve(int count)
        {
            if (span.Length - used < count)
            {
                Refill(count);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Refill(int count)
        {
            if (used > 0)
            {
                output.Advance(used);
            }

            lineStart -= used;
            used = 0;
            span = output.GetSpan(Math.Max(count, 4096));
        }

        public void Commit()
        {
            if (used > 0)
            {
                output.Advance(used);
                used = 0;
                span = default;
            }
        }

        public void Byte(byte b)
        {
            Reserve(1);
            span[used++] = b;
        }

        public void Ascii(scoped ReadOnlySpan<byte> bytes)
        {
            Reserve(bytes.Length);
            bytes.CopyTo(span[used..]);
            used += bytes.Length;
        }

        public void Text(string text, bool replaceControl = false)
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            var start = used;
            used += Encoding.UTF8.GetBytes(text, span[used..]);
            if (replaceControl)
            {
                for (var i = start; i < used; i++)
                {
                    if (span[i] < 0x20)
                    {
                        span[i] = (byte)'.';
                    }
                }
            }
        }

        public void Indent(int depth)
        {
            Reserve((2 * depth) + 1);
            lineStart = used;
            span.Slice(used, 2 * depth).Fill((byte)' ');
            used += 2 * depth;
        }

        public void PadTo(int column)
        {
            var current = used - lineStart;
            if (current < column)
            {
                Reserve(column - current);
                span.Slice(used, column - current).Fill((byte)' ');
                used += column - current;
            }
            else
            {
                Byte((byte)' ');
            }
        }

        public void NewLine() => Byte((byte)'\n');

        public void HexByte(byte b)
        {
            Reserve(2);
            span[used++] = HexDigit(b >> 4);
            span[used++] = HexDigit(b & 0xF);
        }

        private static byte HexDigit(int d) => (byte)(d < 10 ? '0' + d : 'a' + d - 10);

        public void Tag(DicomTag tag)
        {
            Reserve(11);
            span[used++] = (byte)'(';
            HexWord(tag.Group);
            span[used++] = (byte)',';
            HexWord(tag.Element);
            span[used++] = (byte)')';
        }

        private void HexWord(ushort value)
        {
            for (var shift = 12; shift >= 0; shift -= 4)
            {
                var d = (value >> shift) & 0xF;
                span[used++] = (byte)(d < 10 ? '0' + d : 'A' + d - 10);
            }
        }

        public void Number(long value)
        {
            if ((ulong)value < 1000)
            {
                SmallNumber((uint)value);
                return;
            }

            Reserve(20);
            value.TryFormat(span[used..], out var written, default, CultureInfo.InvariantCulture);
            used += written;
        }

        /// <summary>A number below 1000, as lengths and multiplicities mostly are: digits written without the formatter's setup.</summary>
        private void SmallNumber(uint value)
        {
            Reserve(3);
            if (value >= 100)
            {
                span[used++] = (byte)('0' + (value / 100));
            }

            if (value >= 10)
            {
                span[used++] = (byte)('0' + (value / 10 % 10));
            }

            span[used++] = (byte)('0' + (value % 10));
        }

        public void Number(ulong value)
        {
            if (value < 1000)
            {
                SmallNumber((uint)value);
                return;
            }

            Reserve(20);
            value.TryFormat(span[used..], out var written, default, CultureInfo.InvariantCulture);
            used += written;
        }

        public void Float(double value)
        {
            Reserve(32);
            value.TryFormat(span[used..], out var written, "R", CultureInfo.InvariantCulture);
            used += written;
        }

        public void Ascii(string text)
        {
            Reserve(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                span[used++] = (byte)text[i];
            }
        }

        public void Keyword(DicomTag tag, int privateEntry)
        {
            if (privateEntry >= 0 && DicomPrivateDictionary.NameAt(privateEntry) is var name && name != "Unknown")
            {
                // the private dictionary's name for the element of its creator's block (names are ASCII)
                Ascii(name);
                return;
            }

            var keyword = DicomDictionary.GetKeyword(tag);
            if (keyword is null || keyword.Length == 0)
            {
                Ascii(tag.IsPrivateCreator ? "PrivateCreator"u8 : tag.IsPrivate ? "(private)"u8 : tag.IsGroupLength ? "GroupLength"u8 : "(unknown)"u8);
                return;
            }

            Reserve(keyword.Length);
            for (var i = 0; i < keyword.Length; i++)
            {
                span[used++] = (byte)keyword[i];
            }
        }
    }
}
