namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Refuses a JPEG Huffman table (DHT, ISO/IEC 10918-1 B.2.4.2) that defines no codes before JpegLibrary sees it.
/// JpegLibrary 0.4 builds such a table from uninitialised stack memory and can count through the whole int range
/// doing so: a 100 × 100 frame took up to 20 seconds. Found by the decoder fuzz test.
/// </summary>
internal static class JpegHuffmanTableCheck
{
    /// <summary>
    /// Checks every DHT marker in the codestream. Every FF C4 pair is taken for one, wherever it lies, rather than
    /// walking the marker segments: a corrupt stream walks differently here and in JpegLibrary, and the pair cannot
    /// occur in entropy-coded data (an FF there is followed by 00 or a restart marker).
    /// </summary>
    public static void Check(ReadOnlySpan<byte> codestream, string where)
    {
        var at = 0;
        while (at + 4 <= codestream.Length && codestream[at..].IndexOf([(byte)0xFF, (byte)0xC4]) is var found and >= 0)
        {
            at += found;
            if (at + 4 > codestream.Length)
            {
                return;
            }

            var length = (codestream[at + 2] << 8) | codestream[at + 3];
            CheckTables(codestream.Slice(at + 4, Math.Min(Math.Max(length - 2, 0), codestream.Length - at - 4)), where);
            at += 2;
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
}
