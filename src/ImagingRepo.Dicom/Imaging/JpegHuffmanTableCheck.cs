namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Walks a JPEG codestream's marker segments (ISO/IEC 10918-1 B.1; entropy-coded data skipped up to the next marker)
/// and refuses a Huffman table (DHT, B.2.4.2) that defines no codes, before JpegLibrary sees it. JpegLibrary 0.4 builds
/// such a table from uninitialised stack memory and can count through the whole int range doing so: a 100 × 100
/// frame took 18 seconds. Found by the decoder fuzz test.
/// </summary>
internal static class JpegHuffmanTableCheck
{
    private const byte DefineHuffmanTables = 0xC4;
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;

    public static void Check(ReadOnlySpan<byte> codestream, string where)
    {
        var at = 2; // after SOI
        while (at + 4 <= codestream.Length)
        {
            if (codestream[at] != 0xFF)
            {
                return; // not a marker where one must be: JpegLibrary reports the corrupt stream itself
            }

            var marker = codestream[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker == EndOfImage)
            {
                return;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD8))
            {
                at += 2; // TEM, RSTn, SOI: no length
                continue;
            }

            var length = (codestream[at + 2] << 8) | codestream[at + 3];
            var segment = codestream.Slice(at + 4, Math.Min(Math.Max(length - 2, 0), codestream.Length - at - 4));
            if (marker == DefineHuffmanTables)
            {
                CheckTables(segment, where);
            }

            at += 2 + length;
            if (marker == StartOfScan)
            {
                at = NextMarker(codestream, at);
            }
        }
    }

    private static void CheckTables(ReadOnlySpan<byte> segment, string where)
    {
        while (segment.Length >= 17)
        {
            var codes = 0;
            foreach (var count in segment.Slice(1, 16))
            {
                codes += count;
            }

            if (codes == 0)
            {
                throw new DicomPixelDataException($"{where}: JPEG Huffman table {segment[0] & 0x0F} (class {segment[0] >> 4}) defines no codes");
            }

            segment = segment[Math.Min(17 + codes, segment.Length)..];
        }
    }

    /// <summary>The position of the first marker after entropy-coded data (0xFF not followed by 0x00 stuffing or a restart marker).</summary>
    private static int NextMarker(ReadOnlySpan<byte> codestream, int at)
    {
        for (var i = Math.Max(at, 0); i + 1 < codestream.Length; i++)
        {
            if (codestream[i] == 0xFF && codestream[i + 1] is not (0x00 or 0xFF or (>= 0xD0 and <= 0xD7)))
            {
                return i;
            }
        }

        return codestream.Length;
    }
}
