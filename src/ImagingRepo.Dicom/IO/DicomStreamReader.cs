using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ImagingRepo.Dicom.IO;

/// <summary>What the <see cref="DicomStreamReader"/> stopped on.</summary>
public enum DicomTokenType
{
    /// <summary>Nothing read yet, or the end was reached.</summary>
    None = 0,
    /// <summary>An element with a value (in <see cref="DicomStreamReader.ValueSpan"/> or as <see cref="DicomStreamReader.ValueReference"/>).</summary>
    Element,
    /// <summary>The start of a sequence (SQ, or UN of undefined length read as a sequence).</summary>
    SequenceStart,
    /// <summary>The start of an item of the current sequence.</summary>
    ItemStart,
    /// <summary>The end of the current item.</summary>
    ItemEnd,
    /// <summary>The end of the current sequence.</summary>
    SequenceEnd,
    /// <summary>The start of encapsulated pixel data.</summary>
    FragmentsStart,
    /// <summary>One fragment of encapsulated pixel data (the first is the Basic Offset Table).</summary>
    Fragment,
    /// <summary>The end of encapsulated pixel data.</summary>
    FragmentsEnd,
}

/// <summary>
/// A forward-only, one-pass DICOM reader in the manner of <c>Utf8JsonReader</c>: each <see cref="Read"/> stops on the next
/// element, sequence or item boundary. Small values are handed out as spans of its buffer (valid until the next read);
/// values above <see cref="DicomReadOptions.LargeValueThreshold"/> in a seekable source are skipped and described by a
/// <see cref="DicomValueReference"/>, so a 1 GB file costs only its header. Binary values of big-endian input are
/// delivered in little-endian order. The file meta group is read when the reader is created.
/// </summary>
public sealed class DicomStreamReader : IDisposable
{
    private const uint UndefinedLength = DicomLengths.Undefined;
    private const uint ItemTag = DicomTagValues.Item;
    private const uint ItemDelimiter = DicomTagValues.ItemDelimitationItem;
    private const uint SequenceDelimiter = DicomTagValues.SequenceDelimitationItem;
    private const uint PixelDataTag = DicomTagValues.PixelData;

    private readonly DicomInput input;

    /// <summary>The length of the input in bytes; -1 when it is not seekable.</summary>
    internal long SourceLength => input.Length;
    private readonly DicomReadOptions options;
    private readonly DicomValueSource? valueSource;
    private readonly bool ownsStream;
    private readonly Stream? ownedStream;
    private readonly List<DicomDiagnostic> diagnostics = [];
    private Frame[] frames = new Frame[8];
    private int frameCount;
    private int pixelRepresentation;
    private PrivateBlock[] privateBlocks = new PrivateBlock[4];
    private int privateBlockCount;
    private bool finished;

    private enum FrameKind : byte
    {
        Dataset,
        Item,
        Sequence,
        Fragments,
    }

    /// <summary>A private block of the dataset at <see cref="Frame"/> whose creator the private dictionary knows.</summary>
    private struct PrivateBlock
    {
        public int Frame;
        public uint GroupBlock; // group << 8 | block
        public int Creator;     // index in the private dictionary
    }

    private struct Frame
    {
        public FrameKind Kind;
        public bool Implicit;
        public bool BigEndian;
        public long End; // -1: undefined length
        public uint Tag;
    }

    private DicomStreamReader(DicomInput input, string sourceName, DicomReadOptions options, DicomValueSource? valueSource, Stream? ownedStream)
    {
        this.input = input;
        this.options = options;
        this.valueSource = valueSource;
        this.ownedStream = ownedStream;
        ownsStream = ownedStream is not null;
        SourceName = sourceName;
        FileMetaInformation = new DicomDataset();
        ReadHeader();
    }

    /// <summary>Opens a file for one-pass reading; large values become references to the file.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Read options, or null for the defaults.</param>
    /// <returns>A reader positioned before the first dataset element.</returns>
    /// <exception cref="DicomReadException">The file is not readable as DICOM.</exception>
    public static DicomStreamReader Open(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.None);
        try
        {
            return new DicomStreamReader(new DicomInput(stream), path, options ?? DicomReadOptions.Default, new DicomFileValueSource(path), stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads from a stream. When it is seekable, large values become references into it (keep it open while they are used).</summary>
    /// <param name="stream">The stream, positioned at the start of the file or dataset.</param>
    /// <param name="options">Read options, or null for the defaults.</param>
    /// <param name="leaveOpen">False to dispose the stream with the reader.</param>
    /// <returns>A reader positioned before the first dataset element.</returns>
    /// <exception cref="DicomReadException">The input is not readable as DICOM.</exception>
    public static DicomStreamReader Create(Stream stream, DicomReadOptions? options = null, bool leaveOpen = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var name = stream is FileStream file ? file.Name : stream.GetType().Name;
        var source = stream.CanSeek ? new DicomStreamValueSource(stream) : null;
        return new DicomStreamReader(new DicomInput(stream), name, options ?? DicomReadOptions.Default, source, leaveOpen ? null : stream);
    }

    /// <summary>Reads DICOM bytes held in memory (values are always spans of <paramref name="data"/>'s copy in the buffer).</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="options">Read options, or null for the defaults.</param>
    /// <param name="sourceName">A name for messages.</param>
    /// <returns>A reader positioned before the first dataset element.</returns>
    public static DicomStreamReader FromBytes(byte[] data, DicomReadOptions? options = null, string sourceName = "(memory)")
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DicomStreamReader(new DicomInput(data, 0, data.Length), sourceName, options ?? DicomReadOptions.Default, null, null);
    }

    /// <summary>The file path or stream description used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The 128-byte preamble, or empty when the input had none.</summary>
    public ReadOnlyMemory<byte> Preamble { get; private set; }

    /// <summary>The file meta group (group 0002), empty when the input had none.</summary>
    public DicomDataset FileMetaInformation { get; }

    /// <summary>The transfer syntax of the dataset (from the meta group, or detected from the bytes).</summary>
    public DicomTransferSyntax TransferSyntax { get; private set; } = DicomTransferSyntax.ExplicitVRLittleEndian;

    /// <summary>Malformations worked around so far (always empty in strict mode, which throws instead).</summary>
    public IReadOnlyList<DicomDiagnostic> Diagnostics => diagnostics;

    /// <summary>The kind of the current token.</summary>
    public DicomTokenType TokenType { get; private set; }

    /// <summary>The tag of the current element, sequence, item or fragment.</summary>
    public DicomTag Tag { get; private set; }

    /// <summary>
    /// The VR of the current element or sequence: as in the file for explicit VR; for implicit VR from the dictionary, or
    /// for a private element from the private dictionary when the creator of its block is known (else UN).
    /// </summary>
    public DicomVR VR { get; private set; }

    /// <summary>The length field of the current token (0xFFFFFFFF for undefined length).</summary>
    public uint Length { get; private set; }

    /// <summary>
    /// The nesting level of the current token: 0 for top-level elements and sequences, 1 for the items of a top-level
    /// sequence (and the fragments of top-level pixel data), 2 for the elements inside those items, and so on.
    /// </summary>
    public int Depth { get; private set; }

    /// <summary>The byte offset of the current token's header in the source (in the inflated data for deflated files).</summary>
    public long TokenOffset { get; private set; }

    /// <summary>The byte offset of the current value in the source.</summary>
    public long ValueOffset { get; private set; }

    /// <summary>True when the current element's value was kept in the source (see <see cref="ValueReference"/>).</summary>
    public bool HasValueReference => ValueReference is not null;

    /// <summary>The current value when it was kept in the source; null when it is in <see cref="ValueSpan"/>.</summary>
    public DicomValueReference? ValueReference { get; private set; }

    /// <summary>
    /// The current value in little-endian order, valid until the next <see cref="Read"/>; empty when the value was kept in the
    /// source. A value cut short by the end of the input holds the bytes that were present (a diagnostic says so).
    /// </summary>
    public ReadOnlySpan<byte> ValueSpan => lastValue.Span;

    /// <summary>The current value as memory over the reader's buffer, valid until the next <see cref="Read"/> (copy it to keep it).</summary>
    public ReadOnlyMemory<byte> ValueMemory => lastValue;

    /// <summary>True when the current dataset is read with implicit VR (the file's syntax, or inside a UN sequence).</summary>
    public bool IsImplicitVR => frameCount > 0 && frames[frameCount - 1].Implicit;

    private ReadOnlyMemory<byte> lastValue;

    /// <summary>
    /// The private dictionary entry of the current element or sequence (see <see cref="DicomPrivateDictionary"/>), found
    /// through the Private Creator of its block in the same dataset; -1 for standard elements and unknown private ones.
    /// </summary>
    internal int PrivateEntry { get; private set; } = -1;

    /// <summary>Advances to the next token.</summary>
    /// <returns>False at the end of the dataset.</returns>
    /// <exception cref="DicomReadException">The input is malformed beyond what the lenient reader accepts (or at all, in strict mode).</exception>
    public bool Read()
    {
        if (finished)
        {
            return false;
        }

        ValueReference = null;
        lastValue = default;
        PrivateEntry = -1;
        while (true)
        {
            ref var top = ref frames[frameCount - 1];
            if (top.End >= 0 && input.Position >= top.End)
            {
                if (input.Position > top.End)
                {
                    Diagnose(new DicomTag(top.Tag), $"the content ran {input.Position - top.End} bytes past the defined length of its {Describe(top.Kind)}");
                }

                if (frameCount == 1)
                {
                    return Finish();
                }

                return Pop(input.Position);
            }

            switch (top.Kind)
            {
                case FrameKind.Dataset:
                case FrameKind.Item:
                    if (ReadInDataset(ref top))
                    {
                        return true;
                    }

                    if (finished)
                    {
                        return false;
                    }

                    break;
                case FrameKind.Sequence:
                    if (ReadInSequence(ref top))
                    {
                        return true;
                    }

                    break;
                default:
                    if (ReadInFragments(ref top))
                    {
                        return true;
                    }

                    break;
            }
        }
    }

    /// <summary>Skips the rest of the current sequence, item or encapsulated pixel data: after this, the reader is on its end token.</summary>
    public void Skip()
    {
        if (TokenType is not (DicomTokenType.SequenceStart or DicomTokenType.ItemStart or DicomTokenType.FragmentsStart))
        {
            return;
        }

        var depth = frameCount;
        while (Read() && frameCount >= depth)
        {
        }
    }

    private bool Finish()
    {
        finished = true;
        TokenType = DicomTokenType.None;
        return false;
    }

    private static string Describe(FrameKind kind) => kind switch
    {
        FrameKind.Item => "item",
        FrameKind.Sequence => "sequence",
        FrameKind.Fragments => "pixel data fragments",
        _ => "dataset",
    };

    private bool ReadInDataset(ref Frame top)
    {
        var start = input.Position;
        if (!input.Ensure(8))
        {
            var leftover = input.Available;
            if (frameCount == 1)
            {
                if (leftover > 0)
                {
                    Diagnose(null, $"{leftover} trailing bytes after the last element were ignored");
                    input.Advance(leftover);
                }

                Finish();
                return false;
            }

            if (top.End < 0)
            {
                Diagnose(new DicomTag(top.Tag), $"the input ended inside an {Describe(top.Kind)} of undefined length (missing delimiter)",
                    DicomDiagnosticKind.MissingDelimiter);
            }
            else
            {
                Fail(new DicomTag(top.Tag), $"the input ended {top.End - start} bytes before the end of an {Describe(top.Kind)}");
            }

            input.Advance(leftover);
            return Pop(start);
        }

        var header = input.Peek(8);
        var tag = ReadTag(header, top.BigEndian);
        if (tag >> 16 == 0xFFFE)
        {
            input.Advance(8);
            switch (tag)
            {
                case ItemDelimiter when top.Kind == FrameKind.Item:
                    if (top.End >= 0)
                    {
                        Diagnose(new DicomTag(tag), "an item delimiter inside an item of defined length ended the item");
                    }

                    return Pop(start);
                case SequenceDelimiter when top.Kind == FrameKind.Item:
                    // The item lacked its delimiter; the sequence ends here too.
                    Diagnose(new DicomTag(tag), "a sequence delimiter ended an item that had no item delimiter");
                    frames[frameCount - 2].End = input.Position;
                    return Pop(start);
                default:
                    Diagnose(new DicomTag(tag), $"a stray {new DicomTag(tag)} delimiter or item was skipped");
                    if (tag == ItemTag)
                    {
                        // An item header outside a sequence: skip its content when it has a defined length.
                        var itemLength = ReadUInt32(header[4..], top.BigEndian);
                        if (itemLength != UndefinedLength && !input.Skip(itemLength))
                        {
                            Diagnose(new DicomTag(tag), "the input ended inside a stray item");
                        }
                    }

                    return false;
            }
        }

        if (frameCount == 1 && options.StopAtTag is { } stop && tag >= stop.Value)
        {
            return Finish();
        }

        // private data elements (gggg,xxee) of odd groups above 0008: the dictionary entry of their creator's block
        var privateEntry = privateBlockCount > 0 && new DicomTag(tag).IsPrivateDataElement
            ? FindPrivateEntry(tag)
            : -1;
        DicomVR vr;
        uint length;
        int headerSize;
        if (top.Implicit)
        {
            vr = privateEntry >= 0 ? PrivateImplicitVR(privateEntry) : ImplicitVR(tag);
            length = ReadUInt32(header[4..], top.BigEndian);
            headerSize = 8;
            if (length == UndefinedLength && vr is not (DicomVR.SQ or DicomVR.UN))
            {
                vr = DicomVR.UN; // undefined length: read as before, a sequence by CP-246
            }
        }
        else if (DicomVRExtensions.TryParse(header[4], header[5], out vr))
        {
            if (vr.HasLongLength())
            {
                if (!input.Ensure(12))
                {
                    return Truncated(start, new DicomTag(tag), "the input ended inside an element header");
                }

                length = ReadUInt32(input.Peek(12)[8..], top.BigEndian);
                headerSize = 12;
            }
            else
            {
                length = top.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                headerSize = 8;
            }
        }
        else if (header[4] == (byte)' ' && header[5] == (byte)' ')
        {
            // A blank VR: some writers leave the VR of an element they do not know as two spaces, with a 2-byte length.
            // Read as implicit VR, the length would swallow the rest of the file; dcmtk and GDCM read it as an unknown
            // VR with a 2-byte length, and so do we (UN keeps the bytes as they are).
            Diagnose(new DicomTag(tag), "the VR bytes are two spaces (0x20 0x20), not a VR; read the element as UN with a 2-byte length");
            vr = DicomVR.UN;
            length = top.BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(header[6..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            headerSize = 8;
        }
        else
        {
            // Not a VR: most likely an element written with implicit VR inside an explicit-VR dataset.
            Diagnose(new DicomTag(tag), $"bytes 0x{header[4]:X2} 0x{header[5]:X2} are not a VR; read the element as implicit VR");
            vr = ImplicitVR(tag);
            length = ReadUInt32(header[4..], top.BigEndian);
            headerSize = 8;
        }

        input.Advance(headerSize);
        if (privateEntry >= 0 && vr == DicomVR.SQ && top.Implicit && length != UndefinedLength && length != 0 && !StartsWithItem(length, top.BigEndian))
        {
            vr = DicomVR.UN; // the vendor used the element for something else than the dictionary says: keep its bytes
        }

        SetToken(new DicomTag(tag), vr, length, start);
        PrivateEntry = privateEntry;

        if (vr == DicomVR.SQ)
        {
            return PushSequence(ref top, tag, length, top.Implicit, start);
        }

        if (vr == DicomVR.UN && privateEntry >= 0 && length != UndefinedLength && DicomPrivateDictionary.VRAt(privateEntry) == DicomVR.SQ
            && StartsWithItem(length, false))
        {
            // A private sequence written as UN of defined length: its value is the sequence in implicit VR little endian
            // (PS3.5 6.2.2), as for UN of undefined length; read it as one so its items can be walked.
            return PushSequence(ref top, tag, length, true, start, false);
        }

        if (length == UndefinedLength)
        {
            if (tag == PixelDataTag || (tag >> 16 == 0x7FE0 && vr is DicomVR.OB or DicomVR.OW))
            {
                return PushFragments(tag, start);
            }

            // CP-246: UN of undefined length is a sequence encoded with implicit VR little endian.
            var implicitContent = vr == DicomVR.UN || top.Implicit;
            if (vr != DicomVR.UN)
            {
                Diagnose(new DicomTag(tag), $"an {vr} element of undefined length was read as a sequence");
            }

            return PushSequence(ref top, tag, length, implicitContent, start, implicitContent ? false : top.BigEndian);
        }

        if (tag == DicomTagValues.PixelRepresentation && frameCount == 1 && length == 2 && input.Ensure(2))
        {
            pixelRepresentation = ReadUInt16(input.Peek(2), top.BigEndian);
        }

        var read = ReadValue(ref top, length, vr, top.BigEndian);
        if (new DicomTag(tag).IsPrivateCreator && !HasValueReference)
        {
            AddPrivateBlock(tag);
        }

        return read;
    }

    /// <summary>Remembers the block a Private Creator element reserves, when the private dictionary knows its creator.</summary>
    private void AddPrivateBlock(uint tag)
    {
        var value = lastValue.Span.Trim(" \0"u8);
        var creator = DicomPrivateDictionary.CreatorIndex(value);
        if (creator < 0)
        {
            return;
        }

        if (privateBlockCount == privateBlocks.Length)
        {
            Array.Resize(ref privateBlocks, privateBlocks.Length * 2);
        }

        privateBlocks[privateBlockCount++] = new PrivateBlock { Frame = frameCount - 1, GroupBlock = ((tag >> 16) << 8) | (tag & 0xFF), Creator = creator };
    }

    /// <summary>The private dictionary entry of a private data element, through the creator of its block in the current dataset.</summary>
    private int FindPrivateEntry(uint tag)
    {
        var frame = frameCount - 1;
        var groupBlock = ((tag >> 16) << 8) | ((tag >> 8) & 0xFF);
        for (var i = privateBlockCount - 1; i >= 0 && privateBlocks[i].Frame == frame; i--)
        {
            if (privateBlocks[i].GroupBlock == groupBlock)
            {
                return DicomPrivateDictionary.Find(privateBlocks[i].Creator, tag);
            }
        }

        return -1;
    }

    /// <summary>The VR to read a known private element with in implicit VR: the dictionary's, or UN where it has none.</summary>
    private static DicomVR PrivateImplicitVR(int entry)
    {
        var vr = DicomPrivateDictionary.VRAt(entry);
        return vr == DicomVR.None ? DicomVR.UN : vr;
    }

    /// <summary>True when the value about to be read (of defined length) starts with an item header.</summary>
    private bool StartsWithItem(uint length, bool bigEndian) =>
        length >= 8 && input.Ensure(4) && ReadTag(input.Peek(4), bigEndian) == ItemTag;

    private bool ReadValue(ref Frame top, uint length, DicomVR vr, bool bigEndian)
    {
        ValueOffset = input.Position;
        var remaining = input.Remaining;
        if (remaining == long.MaxValue)
        {
            // Unknown length (non-seekable input): buffer the value, which grows only with the bytes that arrive.
            var wanted = (int)Math.Min(length, Array.MaxLength);
            remaining = input.Ensure(wanted) ? wanted : input.Available;
            if (remaining == wanted && length > wanted)
            {
                throw new DicomReadException(SourceName, ValueOffset, Tag, $"a value of {length} bytes cannot be held in memory from a non-seekable stream");
            }
        }

        if (length > remaining)
        {
            Fail(Tag, $"the value is {length} bytes long but only {remaining} bytes remain (truncated input)");
            length = (uint)remaining;
            Length = length;
            if (top.End >= 0)
            {
                top.End = ValueOffset + length;
            }
        }

        if (length >= options.LargeValueThreshold && valueSource is not null && input.CanSeek)
        {
            var swap = vr.ByteSwapSize();
            ValueReference = new DicomValueReference(valueSource, ValueOffset, length, bigEndian && swap > 1, swap);
            input.Skip(length);
            return true;
        }

        if (!input.Ensure((int)length))
        {
            throw new DicomReadException(SourceName, ValueOffset, Tag, $"the input ended inside a value of {length} bytes");
        }

        var swapSize = bigEndian ? vr.ByteSwapSize() : 1;
        if (swapSize > 1 && input.IsCallerMemory)
        {
            var copy = input.Peek((int)length).ToArray();
            ByteSwap.InPlace(copy, swapSize);
            lastValue = copy;
        }
        else
        {
            if (swapSize > 1)
            {
                ByteSwap.InPlace(input.PeekMutable((int)length), swapSize);
            }

            lastValue = input.PeekMemory((int)length);
        }

        input.Advance((int)length);
        return true;
    }

    private bool ReadInSequence(ref Frame top)
    {
        var start = input.Position;
        if (!input.Ensure(8))
        {
            input.Advance(input.Available);
            if (top.End < 0)
            {
                Diagnose(new DicomTag(top.Tag), "the input ended inside a sequence of undefined length (missing delimiter)", DicomDiagnosticKind.MissingDelimiter);
            }
            else
            {
                Fail(new DicomTag(top.Tag), "the input ended inside a sequence");
            }

            return Pop(start);
        }

        var header = input.Peek(8);
        var tag = ReadTag(header, top.BigEndian);
        var length = ReadUInt32(header[4..], top.BigEndian);
        switch (tag)
        {
            case ItemTag:
                input.Advance(8);
                SetToken(DicomTag.Item, DicomVR.None, length, start);
                Push(new Frame
                {
                    Kind = FrameKind.Item,
                    Implicit = top.Implicit,
                    BigEndian = top.BigEndian,
                    End = length == UndefinedLength ? -1 : ClampEnd(ref top, input.Position + length, tag),
                    Tag = tag,
                });
                TokenType = DicomTokenType.ItemStart;
                Depth = frameCount - 2;
                return true;
            case SequenceDelimiter:
                input.Advance(8);
                if (top.End >= 0 && input.Position < top.End)
                {
                    Diagnose(new DicomTag(top.Tag), "a sequence delimiter ended a sequence of defined length early");
                }

                return Pop(start);
            case ItemDelimiter:
                input.Advance(8);
                Diagnose(new DicomTag(tag), "a stray item delimiter between items was skipped");
                return false;
            default:
                // Not an item: the sequence ended without its delimiter.
                Diagnose(new DicomTag(top.Tag), $"the sequence ended without a delimiter before {new DicomTag(tag)}");
                return Pop(start);
        }
    }

    private bool ReadInFragments(ref Frame top)
    {
        var start = input.Position;
        if (!input.Ensure(8))
        {
            input.Advance(input.Available);
            Diagnose(new DicomTag(top.Tag), "the input ended inside encapsulated pixel data (missing sequence delimiter)", DicomDiagnosticKind.MissingDelimiter);
            return Pop(start);
        }

        var header = input.Peek(8);
        var tag = ReadTag(header, top.BigEndian);
        var length = ReadUInt32(header[4..], top.BigEndian);
        if (tag == SequenceDelimiter)
        {
            input.Advance(8);
            return Pop(start);
        }

        if (tag != ItemTag || length == UndefinedLength)
        {
            Diagnose(new DicomTag(top.Tag), $"encapsulated pixel data ended without a sequence delimiter before {new DicomTag(tag)}");
            return Pop(start);
        }

        input.Advance(8);
        SetToken(DicomTag.Item, DicomVR.OB, length, start);
        TokenType = DicomTokenType.Fragment;
        Depth = frameCount - 1;
        return ReadValue(ref top, length, DicomVR.OB, false);
    }

    private long ClampEnd(ref Frame parent, long end, uint tag)
    {
        if (parent.End >= 0 && end > parent.End)
        {
            Diagnose(new DicomTag(tag), $"the defined length runs {end - parent.End} bytes past its parent; clamped");
            return parent.End;
        }

        if (input.Length >= 0 && end > input.Length)
        {
            Fail(new DicomTag(tag), $"the defined length runs {end - input.Length} bytes past the end of the input (truncated input)");
            return input.Length;
        }

        return end;
    }

    private bool PushSequence(ref Frame top, uint tag, uint length, bool isImplicit, long start, bool? bigEndian = null)
    {
        Push(new Frame
        {
            Kind = FrameKind.Sequence,
            Implicit = isImplicit,
            BigEndian = bigEndian ?? top.BigEndian,
            End = length == UndefinedLength ? -1 : ClampEnd(ref top, input.Position + length, tag),
            Tag = tag,
        });
        TokenType = DicomTokenType.SequenceStart;
        Depth = frameCount - 2;
        TokenOffset = start;
        return true;
    }

    private bool PushFragments(uint tag, long start)
    {
        ref var top = ref frames[frameCount - 1];
        Push(new Frame { Kind = FrameKind.Fragments, Implicit = false, BigEndian = top.BigEndian, End = -1, Tag = tag });
        TokenType = DicomTokenType.FragmentsStart;
        VR = DicomVR.OB; // PS3.5 A.4: encapsulated pixel data is OB, whatever the header says
        Depth = frameCount - 2;
        TokenOffset = start;
        return true;
    }

    private void Push(Frame frame)
    {
        if (frameCount / 2 > options.MaxSequenceDepth)
        {
            throw new DicomReadException(SourceName, input.Position, new DicomTag(frame.Tag), $"sequences nest deeper than {options.MaxSequenceDepth} levels");
        }

        if (frameCount == frames.Length)
        {
            Array.Resize(ref frames, frames.Length * 2);
        }

        frames[frameCount++] = frame;
    }

    private bool Pop(long offset)
    {
        var frame = frames[--frameCount];
        while (privateBlockCount > 0 && privateBlocks[privateBlockCount - 1].Frame >= frameCount)
        {
            privateBlockCount--; // the blocks of an item end with it
        }

        TokenType = frame.Kind switch
        {
            FrameKind.Item => DicomTokenType.ItemEnd,
            FrameKind.Sequence => DicomTokenType.SequenceEnd,
            _ => DicomTokenType.FragmentsEnd,
        };
        Tag = new DicomTag(frame.Tag);
        Depth = frameCount - 1;
        TokenOffset = offset;
        Length = 0;
        return true;
    }

    private bool Truncated(long start, DicomTag tag, string message)
    {
        Fail(tag, message);
        input.Advance(input.Available);
        if (frameCount == 1)
        {
            return Finish();
        }

        return Pop(start);
    }

    private void SetToken(DicomTag tag, DicomVR vr, uint length, long start)
    {
        TokenType = DicomTokenType.Element;
        Tag = tag;
        VR = vr;
        Length = length;
        Depth = frameCount - 1;
        TokenOffset = start;
        ValueOffset = input.Position;
    }

    private DicomVR ImplicitVR(uint tag)
    {
        var vr = DicomDictionary.GetVR(new DicomTag(tag), out var second);
        if (second != DicomVR.None)
        {
            // "US or SS": the pixel representation decides; "OB or OW": OW in implicit VR (PS3.5 A.1).
            if (vr == DicomVR.US && second == DicomVR.SS)
            {
                return pixelRepresentation == 1 ? DicomVR.SS : DicomVR.US;
            }

            if (vr == DicomVR.OB && second == DicomVR.OW)
            {
                return DicomVR.OW;
            }
        }

        return vr;
    }

    private void Diagnose(DicomTag? tag, string message, DicomDiagnosticKind kind = DicomDiagnosticKind.Malformed)
    {
        if (options.Strict)
        {
            throw new DicomReadException(SourceName, input.Position, tag, message);
        }

        if (diagnostics.Count < 1000)
        {
            diagnostics.Add(new DicomDiagnostic(input.Position, tag, message, kind));
        }
    }

    // Data was lost: the input ended before what its lengths announce.
    private void Fail(DicomTag? tag, string message) => Diagnose(tag, message, DicomDiagnosticKind.Truncated);

    private static uint ReadTag(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? ((uint)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 16) | BinaryPrimitives.ReadUInt16BigEndian(bytes[2..])
        : ((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    // ---- File header: preamble, meta group, transfer syntax ----

    private void ReadHeader()
    {
        var start = input.Position;
        if (input.Ensure(132) && input.Peek(132)[128..].SequenceEqual("DICM"u8))
        {
            Preamble = input.Peek(128).ToArray();
            input.Advance(132);
        }
        else if (input.Ensure(4) && input.Peek(4).SequenceEqual("DICM"u8))
        {
            Diagnose(null, "the file starts with DICM but has no preamble");
            input.Advance(4);
        }

        if (!input.Ensure(8))
        {
            throw new DicomReadException(SourceName, input.Position, null,
                input.Position == start && input.Available == 0 ? "the input is empty" : "the input is too short to hold a DICOM element");
        }

        var hasMeta = ReadTag(input.Peek(8), false) >> 16 == 0x0002;
        if (!hasMeta && !Preamble.IsEmpty)
        {
            Diagnose(null, "the file has a preamble but no file meta group");
        }

        string? transferSyntaxUid = null;
        if (hasMeta)
        {
            transferSyntaxUid = ReadMeta();
        }

        if (!hasMeta && Preamble.IsEmpty && !LooksLikeRawDataset(input.Peek(8)))
        {
            throw new DicomReadException(SourceName, input.Position, null,
                "not DICOM: no preamble, no file meta group, and the first bytes are not a plausible element header");
        }

        DicomTransferSyntax syntax;
        if (transferSyntaxUid is null)
        {
            syntax = DetectTransferSyntax();
            if (hasMeta)
            {
                Diagnose(DicomTags.TransferSyntaxUID, $"the file meta group has no transfer syntax; detected {syntax.Name} from the data");
            }
        }
        else
        {
            syntax = DicomTransferSyntax.FromUid(transferSyntaxUid);
            if (!syntax.IsDeflated && !syntax.IsEncapsulated && input.Ensure(8))
            {
                var detected = DetectTransferSyntax();
                var header = input.Peek(8);
                var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(header);
                var groupBe = BinaryPrimitives.ReadUInt16BigEndian(header);

                // Only a clear sign overrides the declared byte order: a low group number in one order and not the other.
                var clearOrder = (groupLe < 0x0100) != (groupBe < 0x0100);
                if (detected.IsExplicitVR != syntax.IsExplicitVR || (clearOrder && detected.IsBigEndian != syntax.IsBigEndian))
                {
                    if (!clearOrder)
                    {
                        detected = detected.IsExplicitVR ? (syntax.IsBigEndian ? DicomTransferSyntax.ExplicitVRBigEndian : DicomTransferSyntax.ExplicitVRLittleEndian) : DicomTransferSyntax.ImplicitVRLittleEndian;
                    }

                    Diagnose(DicomTags.TransferSyntaxUID, $"the data is encoded as {detected.Name}, not as the declared {syntax.Name}; read as {detected.Name}");
                    syntax = detected;
                }
            }
        }

        TransferSyntax = syntax;
        if (syntax.IsDeflated)
        {
            input.SwitchTo(static s => new DeflateStream(s, CompressionMode.Decompress, leaveOpen: true));
        }

        Push(new Frame { Kind = FrameKind.Dataset, Implicit = !syntax.IsExplicitVR, BigEndian = syntax.IsBigEndian, End = -1, Tag = 0 });
    }

    private string? ReadMeta()
    {
        string? transferSyntax = null;
        long? declaredEnd = null;
        while (input.Ensure(8))
        {
            var header = input.Peek(8);
            var tag = ReadTag(header, false);
            if (tag >> 16 != 0x0002)
            {
                break;
            }

            var start = input.Position;
            DicomVR vr;
            uint length;
            int headerSize;
            if (DicomVRExtensions.TryParse(header[4], header[5], out vr))
            {
                if (vr.HasLongLength())
                {
                    if (!input.Ensure(12))
                    {
                        throw new DicomReadException(SourceName, start, new DicomTag(tag), "the input ended inside the file meta group");
                    }

                    length = BinaryPrimitives.ReadUInt32LittleEndian(input.Peek(12)[8..]);
                    headerSize = 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                    headerSize = 8;
                }
            }
            else
            {
                Diagnose(new DicomTag(tag), "the file meta group is not in explicit VR little endian; read as implicit VR");
                vr = DicomDictionary.GetVR(new DicomTag(tag));
                length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                headerSize = 8;
            }

            if (length == UndefinedLength || length > 1024 * 1024)
            {
                throw new DicomReadException(SourceName, start, new DicomTag(tag), $"a file meta element of length {length} (expected a short value)");
            }

            input.Advance(headerSize);
            if (!input.Ensure((int)length))
            {
                throw new DicomReadException(SourceName, input.Position, new DicomTag(tag), $"the input ended inside the file meta group (value of {length} bytes)");
            }

            var value = input.Peek((int)length).ToArray();
            input.Advance((int)length);
            FileMetaInformation.Add(new DicomValueElement(new DicomTag(tag), vr, value));
            if (tag == DicomTagValues.FileMetaInformationGroupLength && length == 4)
            {
                declaredEnd = input.Position + BinaryPrimitives.ReadUInt32LittleEndian(value);
            }
            else if (tag == DicomTagValues.TransferSyntaxUID)
            {
                transferSyntax = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            }
        }

        if (declaredEnd is null)
        {
            Diagnose(DicomTags.FileMetaInformationGroupLength, "the file meta group has no group length");
        }
        else if (declaredEnd != input.Position)
        {
            Diagnose(DicomTags.FileMetaInformationGroupLength,
                $"the file meta group length says the group ends at offset {declaredEnd}, but it ends at {input.Position}; the actual end was used");
        }

        return transferSyntax;
    }

    private static bool LooksLikeRawDataset(ReadOnlySpan<byte> header)
    {
        // A raw dataset starts with a low group (command, meta, directory or identifying groups), or with an explicit VR.
        var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(header);
        var groupBe = BinaryPrimitives.ReadUInt16BigEndian(header);
        return groupLe <= 0x0008 || groupBe <= 0x0008 || DicomVRExtensions.TryParse(header[4], header[5], out _);
    }

    /// <summary>Guesses the encoding of a dataset from its first element header.</summary>
    private DicomTransferSyntax DetectTransferSyntax()
    {
        if (!input.Ensure(8))
        {
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }

        var bytes = input.Peek(8);
        var groupLe = BinaryPrimitives.ReadUInt16LittleEndian(bytes);
        var groupBe = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var explicitVr = DicomVRExtensions.TryParse(bytes[4], bytes[5], out _);
        var bigEndian = groupLe > 0x00FF && groupBe <= 0x00FF && groupBe != 0;
        if (bigEndian)
        {
            return DicomTransferSyntax.ExplicitVRBigEndian;
        }

        return explicitVr ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        input.Dispose();
        if (ownsStream)
        {
            ownedStream!.Dispose();
        }
    }
}
