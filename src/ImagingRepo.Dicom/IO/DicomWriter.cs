using System.Buffers.Binary;
using System.IO.Compression;

namespace ImagingRepo.Dicom.IO;

/// <summary>How to write a dataset.</summary>
public sealed class DicomWriteOptions
{
    /// <summary>The target transfer syntax; null keeps the file's. Transcoding works between the uncompressed syntaxes.</summary>
    public DicomTransferSyntax? TransferSyntax { get; init; }

    /// <summary>When set, overrides how every sequence and item is delimited: true writes defined lengths, false undefined lengths with delimiters. Null keeps what was read.</summary>
    public bool? ExplicitLengthSequences { get; init; }

    /// <summary>The compression level for deflated transfer syntaxes.</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}

/// <summary>
/// Writes datasets and Part 10 files: explicit or implicit VR, little or big endian (byte-swapping as needed), deflate,
/// encapsulated pixel data passed through, values padded to even length with the VR's padding byte. Values kept in
/// their source are copied from it in chunks, so a file never has to fit in memory.
/// </summary>
public static class DicomWriter
{
    private const uint UndefinedLength = DicomLengths.Undefined;

    /// <summary>The File Meta Information Version written into every Part 10 file (PS3.10 7.1): 00\01.</summary>
    private static readonly byte[] FileMetaInformationVersion = [0x00, 0x01];

    /// <summary>Writes a Part 10 file: 128-byte preamble, <c>DICM</c>, the meta group (group length and transfer syntax updated), the dataset.</summary>
    /// <param name="file">The file.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="options">Write options.</param>
    public static void Write(DicomFile file, Stream stream, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(stream);
        options ??= new DicomWriteOptions();
        var syntax = options.TransferSyntax ?? file.TransferSyntax;
        CheckTranscoding(file.TransferSyntax, syntax);

        using var output = new Output(stream);
        var preamble = file.Preamble.Length == 128 ? file.Preamble.Span : new byte[128];
        output.WriteBytes(preamble);
        output.WriteBytes("DICM"u8);

        var meta = BuildMeta(file, syntax);
        var metaOptions = new Encoder(DicomTransferSyntax.ExplicitVRLittleEndian, null);
        foreach (var element in meta)
        {
            metaOptions.WriteElement(output, element);
        }

        WriteDatasetBody(file.Dataset, output, syntax, options);
    }

    /// <summary>Writes a dataset alone (no preamble or meta group) in a transfer syntax.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="stream">The destination.</param>
    /// <param name="syntax">The transfer syntax.</param>
    /// <param name="options">Write options (its transfer syntax is ignored).</param>
    public static void WriteDataset(DicomDataset dataset, Stream stream, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(syntax);
        using var output = new Output(stream);
        WriteDatasetBody(dataset, output, syntax, options ?? new DicomWriteOptions());
    }

    private static void WriteDatasetBody(DicomDataset dataset, Output output, DicomTransferSyntax syntax, DicomWriteOptions options)
    {
        if (syntax.IsDeflated)
        {
            output.Flush();
            using var deflate = new DeflateStream(output.Stream, options.DeflateLevel, leaveOpen: true);
            using (var inner = new Output(deflate))
            {
                new Encoder(syntax, options.ExplicitLengthSequences).WriteDataset(inner, dataset);
            }

            return;
        }

        new Encoder(syntax, options.ExplicitLengthSequences).WriteDataset(output, dataset);
    }

    private static void CheckTranscoding(DicomTransferSyntax from, DicomTransferSyntax to)
    {
        if (from.IsEncapsulated != to.IsEncapsulated && !from.Equals(to))
        {
            throw new DicomException($"cannot write pixel data read as {from.Name} in {to.Name}: transcoding between compressed and uncompressed pixel data needs a codec");
        }
    }

    private static List<DicomElement> BuildMeta(DicomFile file, DicomTransferSyntax syntax)
    {
        var meta = new DicomDataset();
        foreach (var element in file.FileMetaInformation)
        {
            if (element.Tag != DicomTags.FileMetaInformationGroupLength)
            {
                meta.Add(element);
            }
        }

        // PS3.10 7.1: the version this writer implements is 00\01, whatever the input said (01\00, 01\01 and other
        // values copied from a source would misdescribe our own meta group).
        meta.Add(new DicomValueElement(DicomTags.FileMetaInformationVersion, DicomVR.OB, FileMetaInformationVersion));

        if (!meta.Contains(DicomTags.MediaStorageSOPClassUID) && file.Dataset.GetString(DicomTags.SOPClassUID) is { } sopClass)
        {
            meta.SetString(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        }

        if (!meta.Contains(DicomTags.MediaStorageSOPInstanceUID) && file.Dataset.GetString(DicomTags.SOPInstanceUID) is { } sopInstance)
        {
            meta.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        }

        if (meta.GetString(DicomTags.TransferSyntaxUID) != syntax.Uid)
        {
            meta.SetString(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid);
        }

        if (!meta.Contains(DicomTags.ImplementationClassUID))
        {
            meta.SetString(DicomTags.ImplementationClassUID, DicomVR.UI, ImplementationClassUid);
        }

        var encoder = new Encoder(DicomTransferSyntax.ExplicitVRLittleEndian, null);
        long length = 0;
        foreach (var element in meta)
        {
            length += encoder.Measure(element);
        }

        var groupLength = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength, (uint)length);
        var result = new List<DicomElement> { new DicomValueElement(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, groupLength) };
        result.AddRange(meta);
        return result;
    }

    /// <summary>The implementation class UID written into new file meta groups (a UUID-derived 2.25 UID).</summary>
    public static string ImplementationClassUid => "2.25.210218306917838713302906512066632702721";

    /// <summary>Measures and encodes elements in one transfer syntax.</summary>
    private sealed class Encoder(DicomTransferSyntax syntax, bool? explicitLengths)
    {
        private readonly bool bigEndian = syntax.IsBigEndian;
        private readonly bool explicitVr = syntax.IsExplicitVR;

        public void WriteDataset(Output output, DicomDataset dataset)
        {
            foreach (var element in dataset)
            {
                WriteElement(output, element);
            }
        }

        public void WriteElement(Output output, DicomElement element)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    WriteSequence(output, sequence);
                    break;
                case DicomFragmentSequence fragments:
                    WriteHeader(output, element.Tag, element.VR == DicomVR.OW ? DicomVR.OW : DicomVR.OB, UndefinedLength);
                    foreach (var fragment in fragments.Fragments)
                    {
                        var padded = (fragment.Length + 1) & ~1L;
                        WriteItemHeader(output, DicomTagValues.Item, (uint)padded);
                        output.Flush();
                        if (fragment.Reference is { } reference)
                        {
                            output.Flush();
                            reference.CopyTo(output.Stream);
                        }
                        else
                        {
                            output.WriteBytes(fragment.GetBytes().Span);
                        }

                        if (padded != fragment.Length)
                        {
                            output.WriteByte(0);
                        }
                    }

                    WriteItemHeader(output, DicomTagValues.SequenceDelimitationItem, 0);
                    break;
                case DicomValueElement value:
                    WriteValueElement(output, value);
                    break;
            }
        }

        private void WriteValueElement(Output output, DicomValueElement element)
        {
            var vr = element.VR == DicomVR.None ? DicomVR.UN : element.VR;
            var length = element.Length;
            var padded = (length + 1) & ~1L;
            if (padded > uint.MaxValue - 1)
            {
                throw new DicomException($"the value of {element.Tag} is {length} bytes, more than a DICOM element can hold");
            }

            if (explicitVr && !vr.HasLongLength() && padded > ushort.MaxValue)
            {
                vr = DicomVR.UN; // PS3.5 6.2.2: too long for a 16-bit length field
            }

            WriteHeader(output, element.Tag, vr, (uint)padded);
            var swap = bigEndian ? element.VR.ByteSwapSize() : 1;
            if (element.Reference is { } reference)
            {
                output.Flush();
                reference.CopyTo(output.Stream, bigEndian);
            }
            else if (swap > 1)
            {
                var copy = element.Span.ToArray();
                ByteSwap.InPlace(copy, swap);
                output.WriteBytes(copy);
            }
            else
            {
                output.WriteBytes(element.Span);
            }

            if (padded != length)
            {
                output.WriteByte(element.VR.PaddingByte());
            }
        }

        private void WriteSequence(Output output, DicomSequence sequence)
        {
            var undefined = explicitLengths is { } forced ? !forced : sequence.HasUndefinedLength;
            WriteHeader(output, sequence.Tag, DicomVR.SQ, undefined ? UndefinedLength : (uint)MeasureSequenceContent(sequence));
            var items = sequence.Items;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var itemUndefined = explicitLengths is { } f ? !f : item.HasUndefinedLength;
                WriteItemHeader(output, DicomTagValues.Item, itemUndefined ? UndefinedLength : (uint)MeasureDataset(item));
                WriteDataset(output, item);
                if (itemUndefined)
                {
                    WriteItemHeader(output, DicomTagValues.ItemDelimitationItem, 0);
                }
            }

            if (undefined)
            {
                WriteItemHeader(output, DicomTagValues.SequenceDelimitationItem, 0);
            }
        }

        public long Measure(DicomElement element)
        {
            switch (element)
            {
                case DicomSequence sequence:
                    var undefined = explicitLengths is { } forced ? !forced : sequence.HasUndefinedLength;
                    return HeaderSize(DicomVR.SQ) + MeasureSequenceContent(sequence) + (undefined ? 8 : 0);
                case DicomFragmentSequence fragments:
                    long total = HeaderSize(DicomVR.OB) + 8;
                    foreach (var fragment in fragments.Fragments)
                    {
                        total += 8 + ((fragment.Length + 1) & ~1L);
                    }

                    return total;
                case DicomValueElement value:
                    var vr = value.VR == DicomVR.None ? DicomVR.UN : value.VR;
                    var padded = (value.Length + 1) & ~1L;
                    if (explicitVr && !vr.HasLongLength() && padded > ushort.MaxValue)
                    {
                        vr = DicomVR.UN;
                    }

                    return HeaderSize(vr) + padded;
                default:
                    return 0;
            }
        }

        private long MeasureSequenceContent(DicomSequence sequence)
        {
            long total = 0;
            var items = sequence.Items;
            for (var i = 0; i < items.Count; i++)
            {
                var item = items[i];
                var itemUndefined = explicitLengths is { } f ? !f : item.HasUndefinedLength;
                total += 8 + MeasureDataset(item) + (itemUndefined ? 8 : 0);
            }

            return total;
        }

        private long MeasureDataset(DicomDataset dataset)
        {
            long total = 0;
            foreach (var element in dataset)
            {
                total += Measure(element);
            }

            if (total > uint.MaxValue - 1)
            {
                throw new DicomException("a sequence item is larger than a defined length can express; write it with undefined length");
            }

            return total;
        }

        private int HeaderSize(DicomVR vr) => !explicitVr ? 8 : vr.HasLongLength() ? 12 : 8;

        private void WriteHeader(Output output, DicomTag tag, DicomVR vr, uint length)
        {
            Span<byte> header = stackalloc byte[12];
            WriteTag(header, tag.Value);
            if (!explicitVr)
            {
                WriteUInt32(header[4..], length);
                output.WriteBytes(header[..8]);
                return;
            }

            header[4] = (byte)((ushort)vr >> 8);
            header[5] = (byte)vr;
            if (vr.HasLongLength())
            {
                header[6] = header[7] = 0;
                WriteUInt32(header[8..], length);
                output.WriteBytes(header);
            }
            else
            {
                if (bigEndian)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(header[6..], (ushort)length);
                }
                else
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(header[6..], (ushort)length);
                }

                output.WriteBytes(header[..8]);
            }
        }

        private void WriteItemHeader(Output output, uint tag, uint length)
        {
            Span<byte> header = stackalloc byte[8];
            WriteTag(header, tag);
            WriteUInt32(header[4..], length);
            output.WriteBytes(header);
        }

        private void WriteTag(Span<byte> span, uint tag)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)(tag >> 16));
                BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)tag);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(tag >> 16));
                BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)tag);
            }
        }

        private void WriteUInt32(Span<byte> span, uint value)
        {
            if (bigEndian)
            {
                BinaryPrimitives.WriteUInt32BigEndian(span, value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(span, value);
            }
        }
    }

    /// <summary>A small write buffer in front of the destination stream; large values bypass it.</summary>
    private sealed class Output(Stream stream) : IDisposable
    {
        private readonly byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        private int used;

        public Stream Stream
        {
            get
            {
                Flush();
                return stream;
            }
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length > buffer.Length - used)
            {
                Flush();
                if (bytes.Length > buffer.Length)
                {
                    stream.Write(bytes);
                    return;
                }
            }

            bytes.CopyTo(buffer.AsSpan(used));
            used += bytes.Length;
        }

        public void WriteByte(byte value)
        {
            if (used == buffer.Length)
            {
                Flush();
            }

            buffer[used++] = value;
        }

        public void Flush()
        {
            if (used > 0)
            {
                stream.Write(buffer, 0, used);
                used = 0;
            }
        }

        public void Dispose()
        {
            Flush();
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
