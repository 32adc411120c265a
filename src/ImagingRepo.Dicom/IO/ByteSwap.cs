using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ImagingRepo.Dicom.IO;

internal static class ByteSwap
{
    public static void InPlace(Span<byte> bytes, int size)
    {
        switch (size)
        {
            case 2:
                var shorts = MemoryMarshal.Cast<byte, ushort>(bytes[..(bytes.Length & ~1)]);
                BinaryPrimitives.ReverseEndianness(shorts, shorts);
                break;
            case 4:
                var ints = MemoryMarshal.Cast<byte, uint>(bytes[..(bytes.Length & ~3)]);
                BinaryPrimitives.ReverseEndianness(ints, ints);
                break;
            case 8:
                var longs = MemoryMarshal.Cast<byte, ulong>(bytes[..(bytes.Length & ~7)]);
                BinaryPrimitives.ReverseEndianness(longs, longs);
                break;
        }
    }
}
