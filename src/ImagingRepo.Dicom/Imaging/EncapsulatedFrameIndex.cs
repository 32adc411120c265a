using System.Buffers.Binary;

namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// Which fragments make up each frame of encapsulated pixel data (PS3.5 A.4): from the Extended Offset Table, else the
/// Basic Offset Table, else one fragment per frame when the counts agree, else by scanning for fragments that open a
/// codestream (JPEG SOI, JPEG 2000 SOC or JP2 signature).
/// </summary>
internal sealed class EncapsulatedFrameIndex
{
    private readonly (int First, int Count)[] frames;

    private EncapsulatedFrameIndex((int First, int Count)[] frames) => this.frames = frames;

    /// <summary>The fragment range of a frame (indices into the fragment list, after the offset table item).</summary>
    public (int First, int Count) this[int frame] => frames[frame];

    public static EncapsulatedFrameIndex Build(DicomDataset dataset, DicomFragmentSequence pixelData, int frameCount, string description)
    {
        var fragments = pixelData.Fragments.Skip(1).ToArray();
        if (fragments.Length == 0)
        {
            throw new DicomPixelDataException($"{description}: the encapsulated pixel data holds no fragments");
        }

        // item offsets: each fragment's item header sits at the sum of the previous items (8-byte header + value)
        var positions = new Dictionary<long, int>(fragments.Length);
        var position = 0L;
        for (var i = 0; i < fragments.Length; i++)
        {
            positions[position] = i;
            position += 8 + fragments[i].Length;
        }

        if (ReadExtendedOffsets(dataset) is { } extended)
        {
            return FromOffsets(extended, positions, fragments.Length, frameCount, "Extended Offset Table", description);
        }

        var basic = pixelData.GetBasicOffsetTable();
        if (basic.Length > 0)
        {
            return FromOffsets([.. basic.Select(o => (long)o)], positions, fragments.Length, frameCount, "Basic Offset Table", description);
        }

        if (frameCount == 1)
        {
            return new EncapsulatedFrameIndex([(0, fragments.Length)]);
        }

        if (fragments.Length == frameCount)
        {
            return new EncapsulatedFrameIndex([.. Enumerable.Range(0, frameCount).Select(i => (i, 1))]);
        }

        var starts = new List<int>();
        Span<byte> head = stackalloc byte[12];
        for (var i = 0; i < fragments.Length; i++)
        {
            var read = ReadHead(fragments[i], head);
            if (OpensCodestream(head[..read]))
            {
                starts.Add(i);
            }
        }

        if (starts.Count != frameCount || starts[0] != 0)
        {
            throw new DicomPixelDataException(
                $"{description}: {fragments.Length} fragments without an offset table, {starts.Count} of which open a codestream, for {frameCount} frames");
        }

        starts.Add(fragments.Length);
        return new EncapsulatedFrameIndex([.. Enumerable.Range(0, frameCount).Select(i => (starts[i], starts[i + 1] - starts[i]))]);
    }

    private static EncapsulatedFrameIndex FromOffsets(long[] offsets, Dictionary<long, int> positions, int fragmentCount, int frameCount, string table, string description)
    {
        if (offsets.Length != frameCount)
        {
            throw new DicomPixelDataException($"{description}: the {table} has {offsets.Length} entries for {frameCount} frames");
        }

        var firsts = new int[frameCount + 1];
        for (var i = 0; i < frameCount; i++)
        {
            if (!positions.TryGetValue(offsets[i], out firsts[i]) || (i > 0 && firsts[i] <= firsts[i - 1]))
            {
                throw new DicomPixelDataException($"{description}: {table} entry {i} ({offsets[i]}) is not the start of a fragment after the previous frame's");
            }
        }

        firsts[frameCount] = fragmentCount;
        return new EncapsulatedFrameIndex([.. Enumerable.Range(0, frameCount).Select(i => (firsts[i], firsts[i + 1] - firsts[i]))]);
    }

    private static long[]? ReadExtendedOffsets(DicomDataset dataset)
    {
        if (dataset[DicomTags.ExtendedOffsetTable] is not DicomValueElement table || table.Length < 8)
        {
            return null;
        }

        var bytes = table.GetBytes().Span;
        var offsets = new long[bytes.Length / 8];
        for (var i = 0; i < offsets.Length; i++)
        {
            var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
            offsets[i] = value > long.MaxValue ? -1 : (long)value;
        }

        return offsets;
    }

    private static int ReadHead(DicomFragment fragment, Span<byte> head)
    {
        var length = (int)Math.Min(fragment.Length, head.Length);
        if (fragment.Reference is { } reference)
        {
            reference.Source.ReadAll(reference.Offset, head[..length]);
        }
        else
        {
            fragment.GetBytes().Span[..length].CopyTo(head);
        }

        return length;
    }

    private static bool OpensCodestream(ReadOnlySpan<byte> head) =>
        (head.Length >= 2 && head[0] == 0xFF && head[1] == 0xD8) // JPEG and JPEG-LS SOI
        || (head.Length >= 4 && head[0] == 0xFF && head[1] == 0x4F && head[2] == 0xFF && head[3] == 0x51) // J2K SOC + SIZ
        || (head.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(head) == 12 && BinaryPrimitives.ReadUInt32BigEndian(head[4..]) == 0x6A502020); // JP2 signature box
}
