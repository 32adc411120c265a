using System.Collections.Concurrent;
using System.Text;

namespace ImagingRepo.Dicom.CharacterSets;

/// <summary>
/// The Specific Character Set (0008,0005) of a dataset and the decoding it implies (PS3.5 6.1, PS3.3 C.12.1.1.2):
/// single-byte sets (ISO 8859 parts, TIS 620, JIS X 0201), UTF-8, GB18030, GBK, and ISO 2022 code extensions with
/// escape sequences (IR 13, 87, 159, 149, 58 and the single-byte G1 sets), switching back to the first set at value,
/// line and person-name component delimiters as the standard requires. Decoding is per value.
/// </summary>
public sealed class DicomCharacterSet
{
    private static readonly Encoding Latin1 = Encoding.Latin1;
    private readonly CodeElement initial;
    private readonly Encoding? whole; // non-ISO-2022 sets decode the value in one call
    private readonly bool usesEscapes;
    private Encoding? strictEncoder; // made on first use: a clone per call cost an encoding object per value written

    static DicomCharacterSet()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private DicomCharacterSet(string[] terms, CodeElement initial, Encoding? whole, bool usesEscapes)
    {
        Terms = terms;
        this.initial = initial;
        this.whole = whole;
        this.usesEscapes = usesEscapes;
    }

    /// <summary>The default repertoire (ISO IR 6, ASCII; bytes above 0x7F are read as Latin-1 rather than rejected).</summary>
    public static DicomCharacterSet Default { get; } = new([string.Empty], CodeElement.Ascii, Latin1, false);

    /// <summary>The defined terms, as in (0008,0005).</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>True when the set uses ISO 2022 escape sequences.</summary>
    public bool UsesCodeExtensions => usesEscapes;

    /// <summary>Parses the raw value of (0008,0005).</summary>
    /// <param name="value">The bytes of the element.</param>
    /// <returns>The character set (unknown terms fall back to the default repertoire).</returns>
    public static DicomCharacterSet FromBytes(ReadOnlySpan<byte> value)
    {
        // a character set is immutable and most files of a run name the same one or two: parse each value once
        var text = Encoding.ASCII.GetString(value);
        if (Parsed.TryGetValue(text, out var known))
        {
            return known;
        }

        var parsed = FromTerms(text.Split('\\'));
        if (Parsed.Count < 64)
        {
            Parsed.TryAdd(text, parsed);
        }

        return parsed;
    }

    /// <summary>Character sets parsed by <see cref="FromBytes"/>, by their element's text; bounded.</summary>
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> Parsed = new(StringComparer.Ordinal);

    /// <summary>Creates a character set from defined terms such as <c>ISO_IR 100</c> or <c>ISO 2022 IR 6</c>, <c>ISO 2022 IR 87</c>.</summary>
    /// <param name="terms">The defined terms; the first may be empty (default repertoire).</param>
    /// <returns>The character set.</returns>
    public static DicomCharacterSet FromTerms(params string[] terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        for (var i = 0; i < terms.Length; i++)
        {
            terms[i] = terms[i].Trim(' ', '\0');
        }

        if (terms.Length == 0 || (terms.Length == 1 && terms[0].Length == 0))
        {
            return Default;
        }

        var first = terms[0];
        var usesEscapes = terms.Length > 1 || first.StartsWith("ISO 2022", StringComparison.Ordinal);
        if (!usesEscapes)
        {
            var encoding = first switch
            {
                "ISO_IR 192" => Encoding.UTF8,
                "GB18030" => Encoding.GetEncoding(54936),
                "GBK" => Encoding.GetEncoding(936),
                _ => CodeElement.FromTerm(first)?.Encoding ?? Latin1,
            };
            var element = CodeElement.FromTerm(first) ?? CodeElement.Ascii;
            return new DicomCharacterSet(terms, element, encoding, false);
        }

        return new DicomCharacterSet(terms, CodeElement.FromTerm(first) ?? CodeElement.Ascii, null, true);
    }

    /// <summary>Decodes a text value.</summary>
    /// <param name="bytes">The raw value.</param>
    /// <param name="vr">The VR (PN values switch back to the first set at <c>^</c> and <c>=</c>).</param>
    /// <returns>The text.</returns>
    public string Decode(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        if (whole is not null)
        {
            return whole.GetString(bytes);
        }

        if (bytes.IndexOf((byte)0x1B) < 0 && initial.G1 is null && bytes.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0)
        {
            return Encoding.ASCII.GetString(bytes);
        }

        return DecodeIso2022(bytes, vr);
    }

    /// <summary>Encodes text for a value. ISO 2022 sets encode with their first code element only (plus JIS X 0208 escapes for Japanese).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The bytes (not padded).</returns>
    /// <exception cref="DicomException">The text has characters the character set cannot represent.</exception>
    public byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (ReferenceEquals(this, Default) || (whole is null && initial == CodeElement.Ascii && !Terms.Contains("ISO 2022 IR 87")))
        {
            foreach (var c in text)
            {
                if (c > 0x7F)
                {
                    throw new DicomException($"'{c}' is outside the character set '{string.Join('\\', Terms)}'; set Specific Character Set to ISO_IR 192 (UTF-8) first");
                }
            }

            return Encoding.ASCII.GetBytes(text);
        }

        try
        {
            return StrictEncoder().GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new DicomException($"the text has characters outside the character set '{string.Join('\\', Terms)}'; set Specific Character Set to ISO_IR 192 (UTF-8) first", e);
        }
    }

    /// <summary>The set's encoding with an exception fallback, made once (a benign race may make it twice).</summary>
    private Encoding StrictEncoder()
    {
        if (strictEncoder is null)
        {
            var encoding = whole ?? (Terms.Contains("ISO 2022 IR 87") ? Encoding.GetEncoding(50220) : initial.Encoding);
            var strict = (Encoding)encoding.Clone();
            strict.EncoderFallback = EncoderFallback.ExceptionFallback;
            strictEncoder = strict;
        }

        return strictEncoder;
    }

    private string DecodeIso2022(ReadOnlySpan<byte> bytes, DicomVR vr)
    {
        var result = new StringBuilder(bytes.Length);
        var g0 = initial.G0 ?? CodeElement.Ascii.G0!;
        var g1 = initial.G1;
        var i = 0;
        var runStart = 0;
        GraphicSet? runSet = null;

        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b == 0x1B)
            {
                runStart = Flush(bytes, runStart, i, runSet, result);
                var length = EscapeLength(bytes[i..]);
                if (length > 0 && CodeElement.FromEscape(bytes.Slice(i, length)) is { } switched)
                {
                    if (switched.G0 is not null)
                    {
                        g0 = switched.G0;
                    }

                    if (switched.G1 is not null)
                    {
                        g1 = switched.G1;
                    }

                    i += length;
                }
                else
                {
                    result.Append('\u001B');
                    i++;
                }

                runStart = i;
                runSet = null;
                continue;
            }

            var set = b < 0x80 ? g0 : g1 ?? CodeElement.Latin1High;
            if (b < 0x80 && !g0.IsMultiByte && IsDelimiter(b, vr))
            {
                // Delimiters switch back to the initial code elements (PS3.5 6.1.2.5.3).
                runStart = Flush(bytes, runStart, i, runSet, result);
                result.Append((char)b);
                i++;
                runStart = i;
                runSet = null;
                g0 = initial.G0 ?? CodeElement.Ascii.G0!;
                g1 = initial.G1;
                continue;
            }

            if (!ReferenceEquals(set, runSet))
            {
                runStart = Flush(bytes, runStart, i, runSet, result);
                runSet = set;
            }

            i += set.IsMultiByte && i + 1 < bytes.Length ? 2 : 1;
        }

        Flush(bytes, runStart, bytes.Length, runSet, result);
        return result.ToString();
    }

    private static int Flush(ReadOnlySpan<byte> bytes, int runStart, int end, GraphicSet? runSet, StringBuilder result)
    {
        if (end > runStart && runSet is not null)
        {
            runSet.DecodeInto(bytes[runStart..end], result);
        }

        return end;
    }

    private static bool IsDelimiter(byte b, DicomVR vr) =>
        b is 0x0D or 0x0A or 0x0C or 0x09 || (b == (byte)'\\' && !vr.IsSingleValued()) || (vr == DicomVR.PN && b is (byte)'^' or (byte)'=');

    private static int EscapeLength(ReadOnlySpan<byte> bytes)
    {
        // ESC, intermediate bytes 0x20-0x2F, one final byte 0x30-0x7E.
        for (var i = 1; i < bytes.Length && i < 5; i++)
        {
            if (bytes[i] is >= 0x30 and <= 0x7E)
            {
                return i + 1;
            }

            if (bytes[i] is < 0x20 or > 0x2F)
            {
                return 0;
            }
        }

        return 0;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('\\', Terms);

    /// <summary>A graphic set reachable through G0 or G1 and how its bytes decode.</summary>
    private sealed class GraphicSet(Func<Encoding> encodingFactory, bool multiByte, bool highToEuc)
    {
        private Encoding? encoding;

        public GraphicSet(Encoding encoding, bool multiByte, bool highToEuc)
            : this(() => encoding, multiByte, highToEuc)
        {
        }

        public bool IsMultiByte { get; } = multiByte;

        public Encoding Encoding => encoding ??= encodingFactory();

        public void DecodeInto(ReadOnlySpan<byte> run, StringBuilder output)
        {
            if (highToEuc)
            {
                // 94x94 sets invoked in G0 (JIS X 0208): the EUC form sets the high bit of both bytes.
                Span<byte> euc = run.Length <= 512 ? stackalloc byte[run.Length] : new byte[run.Length];
                for (var i = 0; i < run.Length; i++)
                {
                    euc[i] = (byte)(run[i] | 0x80);
                }

                output.Append(Encoding.GetString(euc));
                return;
            }

            output.Append(Encoding.GetString(run));
        }
    }

    /// <summary>A code element of (0008,0005): what it puts in G0 and G1, its escape sequences and a whole-value encoding.</summary>
    private sealed class CodeElement(GraphicSet? g0, GraphicSet? g1, Func<Encoding> encodingFactory)
    {
        private Encoding? encoding;

        public CodeElement(GraphicSet? g0, GraphicSet? g1, Encoding encoding)
            : this(g0, g1, () => encoding)
        {
        }

        private static readonly GraphicSet AsciiSet = new(Encoding.ASCII, false, false);
        private static readonly GraphicSet RomajiSet = new(Encoding.ASCII, false, false);
        private static readonly Dictionary<string, CodeElement> ByTerm = new(StringComparer.Ordinal);
        private static readonly Dictionary<string, CodeElement> ByEscape = new(StringComparer.Ordinal);

        static CodeElement()
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            Ascii = new CodeElement(AsciiSet, null, Encoding.ASCII);
            Latin1High = new GraphicSet(Latin1, false, false);
            Add(["ISO_IR 6", "ISO 2022 IR 6"], Ascii, "\u001B(B");
            AddSingleByte(100, 28591, "\u001B-A");
            AddSingleByte(101, 28592, "\u001B-B");
            AddSingleByte(109, 28593, "\u001B-C");
            AddSingleByte(110, 28594, "\u001B-D");
            AddSingleByte(144, 28595, "\u001B-L");
            AddSingleByte(127, 28596, "\u001B-G");
            AddSingleByte(126, 28597, "\u001B-F");
            AddSingleByte(138, 28598, "\u001B-H");
            AddSingleByte(148, 28599, "\u001B-M");
            AddSingleByte(203, 28605, "\u001B-b");
            AddSingleByte(166, 874, "\u001B-T");

            static Encoding ShiftJis() => Encoding.GetEncoding(932);
            var katakana = new GraphicSet(ShiftJis, false, false); // bytes 0xA1-0xDF are half-width katakana in Shift_JIS
            var jisX0201 = new CodeElement(RomajiSet, katakana, ShiftJis);
            Add(["ISO_IR 13", "ISO 2022 IR 13"], jisX0201, null);
            ByEscape["\u001B)I"] = new CodeElement(null, katakana, ShiftJis);
            ByEscape["\u001B(J"] = new CodeElement(RomajiSet, null, ShiftJis);

            static Encoding EucJp() => Encoding.GetEncoding(20932);
            Add(["ISO 2022 IR 87"], new CodeElement(new GraphicSet(EucJp, true, true), null, EucJp), "\u001B$B");
            Add(["ISO 2022 IR 159"], new CodeElement(new GraphicSet(() => new JisX0212Encoding(EucJp()), true, true), null, EucJp), "\u001B$(D");

            static Encoding EucKr() => Encoding.GetEncoding(51949);
            Add(["ISO 2022 IR 149"], new CodeElement(null, new GraphicSet(EucKr, true, false), EucKr), "\u001B$)C");
            static Encoding Gb2312() => Encoding.GetEncoding(936);
            Add(["ISO 2022 IR 58"], new CodeElement(null, new GraphicSet(Gb2312, true, false), Gb2312), "\u001B$)A");
        }

        public static CodeElement Ascii { get; }

        public static GraphicSet Latin1High { get; }

        public GraphicSet? G0 { get; } = g0;

        public GraphicSet? G1 { get; } = g1;

        // Code pages are built on first use: most files never need more than ASCII.
        public Encoding Encoding => encoding ??= encodingFactory();

        public static CodeElement? FromTerm(string term) => ByTerm.GetValueOrDefault(term);

        public static CodeElement? FromEscape(ReadOnlySpan<byte> escape) => ByEscape.GetValueOrDefault(Encoding.ASCII.GetString(escape));

        private static void AddSingleByte(int ir, int codePage, string escape)
        {
            Encoding Factory() => Encoding.GetEncoding(codePage);
            var element = new CodeElement(AsciiSet, new GraphicSet(Factory, false, false), Factory);
            Add([$"ISO_IR {ir}", $"ISO 2022 IR {ir}"], element, escape);
        }

        private static void Add(string[] terms, CodeElement element, string? escape)
        {
            foreach (var term in terms)
            {
                ByTerm[term] = element;
            }

            if (escape is not null)
            {
                ByEscape[escape] = element.G1 is not null && element.G0 is not null && escape[1] == '-'
                    ? new CodeElement(null, element.G1, () => element.Encoding) // ESC - F invokes the set in G1 only
                    : element;
            }
        }
    }

    /// <summary>JIS X 0212 through EUC-JP: its characters are the three-byte form 0x8F, b1|0x80, b2|0x80.</summary>
    private sealed class JisX0212Encoding(Encoding eucJp) : Encoding
    {
        public override int GetByteCount(char[] chars, int index, int count) => throw new NotSupportedException();
        public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) => throw new NotSupportedException();
        public override int GetCharCount(byte[] bytes, int index, int count) => GetChars(bytes, index, count, new char[count], 0);
        public override int GetMaxByteCount(int charCount) => charCount * 3;
        public override int GetMaxCharCount(int byteCount) => byteCount;

        public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex)
        {
            var euc = new byte[byteCount / 2 * 3];
            for (var i = 0; i + 1 < byteCount; i += 2)
            {
                euc[i / 2 * 3] = 0x8F;
                euc[(i / 2 * 3) + 1] = bytes[byteIndex + i];
                euc[(i / 2 * 3) + 2] = bytes[byteIndex + i + 1];
            }

            return eucJp.GetChars(euc, 0, euc.Length, chars, charIndex);
        }
    }
}
