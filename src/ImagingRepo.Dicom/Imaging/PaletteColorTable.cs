using System.Buffers.Binary;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>The three Palette Color Lookup Tables (PS3.3 C.7.6.3.1.5), as 8-bit red, green and blue tables; segmented tables (C.7.9.2) expanded.</summary>
internal sealed class PaletteColorTable
{
    private readonly byte[] red;
    private readonly byte[] green;
    private readonly byte[] blue;
    private readonly int firstMapped;

    private PaletteColorTable(byte[] red, byte[] green, byte[] blue, int firstMapped)
    {
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.firstMapped = firstMapped;
    }

    public static PaletteColorTable Read(DicomDataset dataset, bool isSigned, string description)
    {
        return new PaletteColorTable(
            Channel(dataset, DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData, DicomTags.SegmentedRedPaletteColorLookupTableData, isSigned, description, out var first),
            Channel(dataset, new DicomTag(0x00281102), new DicomTag(0x00281202), new DicomTag(0x00281222), isSigned, description, out _),
            Channel(dataset, new DicomTag(0x00281103), new DicomTag(0x00281203), new DicomTag(0x00281223), isSigned, description, out _),
            first);
    }

    /// <summary>Writes the RGB triplet of every index.</summary>
    public void Map(ReadOnlySpan<int> indices, Span<byte> rgb)
    {
        var last = red.Length - 1;
        for (var i = 0; i < indices.Length; i++)
        {
            var entry = Math.Clamp(indices[i] - firstMapped, 0, last);
            rgb[i * 3] = red[entry];
            rgb[(i * 3) + 1] = green[entry];
            rgb[(i * 3) + 2] = blue[entry];
        }
    }

    private static byte[] Channel(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag, DicomTag segmentedTag, bool isSigned, string description, out int firstMapped)
    {
        if (!dataset.TryGetInt64(descriptorTag, 0, out var entries) || !dataset.TryGetInt64(descriptorTag, 1, out var first) || !dataset.TryGetInt64(descriptorTag, 2, out var bits))
        {
            throw new DicomPixelDataException($"{description}: PALETTE COLOR without a complete {DicomDictionary.GetKeyword(descriptorTag)}");
        }

        // the descriptor is US or SS by the pixel representation; 0 entries means 65536
        entries = entries == 0 ? 65536 : entries & 0xFFFF;
        firstMapped = isSigned ? (short)first : (int)(first & 0xFFFF);
        if (dataset[dataTag] is DicomValueElement data)
        {
            return Expand(data.GetBytes().Span, (int)entries, (int)bits, description);
        }

        if (dataset[segmentedTag] is DicomValueElement segmented)
        {
            return Segments(segmented.GetBytes().Span, (int)entries, (int)bits, description);
        }

        throw new DicomPixelDataException($"{description}: PALETTE COLOR without {DicomDictionary.GetKeyword(dataTag)}");
    }

    private static byte[] Expand(ReadOnlySpan<byte> data, int entries, int bits, string description)
    {
        var table = new byte[entries];
        if (bits <= 8 && data.Length >= entries && data.Length < entries * 2)
        {
            data[..entries].CopyTo(table);
            return table;
        }

        if (data.Length < entries * 2)
        {
            throw new DicomPixelDataException($"{description}: a palette table of {entries} entries holds only {data.Length} bytes");
        }

        var shift = bits > 8 ? 8 : 0;
        for (var i = 0; i < entries; i++)
        {
            table[i] = (byte)(BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]) >> shift);
        }

        return table;
    }

    /// <summary>Expands a segmented table: discrete (0), linear (1) and indirect (2) segments of 16-bit words.</summary>
    private static byte[] Segments(ReadOnlySpan<byte> data, int entries, int bits, string description)
    {
        var words = new ushort[data.Length / 2];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
        }

        var values = new List<double>(entries);
        var segmentStarts = new List<int>();
        var at = 0;
        while (at + 1 < words.Length && values.Count < entries)
        {
            segmentStarts.Add(at);
            var type = words[at];
            var length = words[at + 1];
            switch (type)
            {
                case 0 when at + 2 + length <= words.Length:
                    for (var i = 0; i < length; i++)
                    {
                        values.Add(words[at + 2 + i]);
                    }

                    at += 2 + length;
                    break;
                case 1 when at + 2 < words.Length && values.Count > 0:
                    var start = values[^1];
                    var end = (double)words[at + 2];
                    for (var i = 1; i <= length; i++)
                    {
                        values.Add(start + ((end - start) * i / length));
                    }

                    at += 3;
                    break;
                case 2 when at + 3 < words.Length:
                    var count = length;
                    var offset = words[at + 2] | (words[at + 3] << 16);
                    var copyAt = offset;
                    for (var s = 0; s < count && copyAt + 1 < words.Length && values.Count < entries; s++)
                    {
                        // an indirect segment replays earlier segments from a word offset
                        var (segmentValues, next) = Replay(words, copyAt, values.Count > 0 ? values[^1] : 0);
                        values.AddRange(segmentValues);
                        copyAt = next;
                    }

                    at += 4;
                    break;
                default:
                    throw new DicomPixelDataException($"{description}: a segmented palette table has a malformed segment at word {at}");
            }
        }

        var shift = bits > 8 ? 8 : 0;
        var table = new byte[entries];
        for (var i = 0; i < entries; i++)
        {
            var value = i < values.Count ? values[i] : values.Count > 0 ? values[^1] : 0;
            table[i] = (byte)Math.Clamp((int)Math.Round(value) >> shift, 0, 255);
        }

        return table;
    }

    private static (List<double> Values, int Next) Replay(ushort[] words, int at, double previous)
    {
        var result = new List<double>();
        var type = words[at];
        var length = words[at + 1];
        if (type == 0 && at + 2 + length <= words.Length)
        {
            for (var i = 0; i < length; i++)
            {
                result.Add(words[at + 2 + i]);
            }

            return (result, at + 2 + length);
        }

        if (type == 1 && at + 2 < words.Length)
        {
            var end = (double)words[at + 2];
            for (var i = 1; i <= length; i++)
            {
                result.Add(previous + ((end - previous) * i / length));
            }

            return (result, at + 3);
        }

        return (result, words.Length);
    }
}
