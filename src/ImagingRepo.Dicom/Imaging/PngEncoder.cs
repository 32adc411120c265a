using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Writes 8-bit grey or RGB pixels as a PNG image (the W3C PNG specification: IHDR, one zlib IDAT, IEND), each row with
/// the filter (None, Sub, Up or Paeth) whose output has the smallest sum of magnitudes, the specification's heuristic.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="pixels"/> (rows top to bottom, <paramref name="channels"/> bytes a pixel: 1 grey, 3 RGB).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        if (channels is not (1 or 3) || width <= 0 || height <= 0 || pixels.Length < (long)width * height * channels)
        {
            throw new ArgumentException($"{pixels.Length} bytes are not {width}×{height} pixels of {channels} channels", nameof(pixels));
        }

        using var output = new MemoryStream();
        output.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = channels == 1 ? (byte)0 : (byte)2; // colour type: greyscale or truecolour
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method: adaptive
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, header);
        WriteChunk(output, "IDAT"u8, Compress(pixels, width, height, channels));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static byte[] Compress(ReadOnlySpan<byte> pixels, int width, int height, int channels)
    {
        var stride = width * channels;
        using var compressed = new MemoryStream();
        var candidates = ArrayPool<byte>.Shared.Rent(4 * (stride + 1));
        try
        {
            using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                for (var y = 0; y < height; y++)
                {
                    var row = pixels.Slice(y * stride, stride);
                    var above = y == 0 ? default : pixels.Slice((y - 1) * stride, stride);
                    zlib.Write(FilterRow(row, above, channels, candidates.AsSpan(0, 4 * (stride + 1))));
                }
            }

            return compressed.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(candidates);
        }
    }

    /// <summary>The row filtered four ways into <paramref name="scratch"/>; returns the one (filter byte first) with the smallest sum of magnitudes.</summary>
    private static ReadOnlySpan<byte> FilterRow(ReadOnlySpan<byte> row, ReadOnlySpan<byte> above, int bpp, Span<byte> scratch)
    {
        var length = row.Length + 1;
        var best = 0;
        var bestSum = long.MaxValue;
        for (var filter = 0; filter < 4; filter++)
        {
            var type = filter == 3 ? (byte)4 : (byte)filter; // None 0, Sub 1, Up 2, Paeth 4
            var output = scratch.Slice(filter * length, length);
            output[0] = type;
            var sum = 0L;
            for (var i = 0; i < row.Length; i++)
            {
                int left = i >= bpp ? row[i - bpp] : 0;
                int up = above.IsEmpty ? 0 : above[i];
                int upLeft = i >= bpp && !above.IsEmpty ? above[i - bpp] : 0;
                var predicted = type switch
                {
                    1 => left,
                    2 => up,
                    4 => Paeth(left, up, upLeft),
                    _ => 0,
                };
                var value = (byte)(row[i] - predicted);
                output[i + 1] = value;
                sum += Math.Abs((int)(sbyte)value); // as int: |-128| overflows an sbyte
            }

            if (sum < bestSum)
            {
                bestSum = sum;
                best = filter;
            }
        }

        return scratch.Slice(best * length, length);
    }

    private static int Paeth(int left, int up, int upLeft)
    {
        var estimate = left + up - upLeft;
        var toLeft = Math.Abs(estimate - left);
        var toUp = Math.Abs(estimate - up);
        var toUpLeft = Math.Abs(estimate - upLeft);
        return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, ~Crc(Crc(uint.MaxValue, type), data));
        output.Write(word);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320), continued from <paramref name="crc"/>.</summary>
    private static uint Crc(uint crc, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
