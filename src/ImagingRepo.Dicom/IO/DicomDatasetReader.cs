namespace ImagingRepo.Dicom.IO;

/// <summary>Builds the element tree from a <see cref="DicomStreamReader"/>, copying small values into shared chunks.</summary>
internal static class DicomDatasetReader
{
    public static DicomFile ReadFile(DicomStreamReader reader, string? path)
    {
        // room for the top level at once: headers hold an element per 40-odd bytes, and a list grown from 4 by doubling
        // would allocate (and discard) about as much again
        var dataset = new DicomDataset(reader.SourceLength > 0 ? (int)Math.Clamp(reader.SourceLength / 64, 8, 128) : 8);
        try
        {
            ReadInto(reader, dataset);
        }
        catch (DicomReadException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OverflowException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or NotSupportedException)
        {
            throw new DicomReadException(reader.SourceName, reader.TokenOffset, reader.Tag, e.Message, e);
        }

        return new DicomFile(dataset, reader.TransferSyntax)
        {
            Preamble = reader.Preamble,
            FileMetaInformation = reader.FileMetaInformation,
            Diagnostics = reader.Diagnostics.ToArray(),
            FilePath = path,
            SourceLength = reader.SourceLength,
        };
    }

    public static void ReadInto(DicomStreamReader reader, DicomDataset root)
    {
        var arena = new ValueArena(reader.SourceLength);
        var datasets = new Stack<DicomDataset>();
        var sequences = new Stack<DicomSequence>();
        DicomFragmentSequence? fragments = null;
        var current = root;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case DicomTokenType.Element:
                    current.AddRead(reader.ValueReference is { } reference
                        ? new DicomValueElement(reader.Tag, reader.VR, reference)
                        : new DicomValueElement(reader.Tag, reader.VR, arena.Copy(reader.ValueSpan)));
                    break;
                case DicomTokenType.SequenceStart:
                    var sequence = new DicomSequence(reader.Tag)
                    {
                        HasUndefinedLength = reader.Length == DicomLengths.Undefined,
                        WasUnknownVR = reader.VR != DicomVR.SQ,
                    };
                    current.AddRead(sequence);
                    sequences.Push(sequence);
                    break;
                case DicomTokenType.ItemStart:
                    var item = new DicomDataset { Parent = current, HasUndefinedLength = reader.Length == DicomLengths.Undefined };
                    sequences.Peek().Items.Add(item);
                    datasets.Push(current);
                    current = item;
                    break;
                case DicomTokenType.ItemEnd:
                    current = datasets.Pop();
                    break;
                case DicomTokenType.SequenceEnd:
                    sequences.Pop();
                    break;
                case DicomTokenType.FragmentsStart:
                    fragments = new DicomFragmentSequence(reader.Tag, reader.VR);
                    current.AddRead(fragments);
                    break;
                case DicomTokenType.Fragment:
                    fragments!.Fragments.Add(reader.ValueReference is { } fragmentReference
                        ? new DicomFragment(fragmentReference)
                        : new DicomFragment(arena.Copy(reader.ValueSpan)));
                    break;
                case DicomTokenType.FragmentsEnd:
                    fragments = null;
                    break;
            }
        }
    }

    /// <summary>Copies small values into 16 KiB chunks so a dataset costs a few arrays, not one per element.</summary>
    /// <param name="sourceLength">The input's length when known: a small file gets a first chunk of its own size.</param>
    private sealed class ValueArena(long sourceLength)
    {
        private const int ChunkSize = 16 * 1024;
        private byte[] chunk = [];
        private int used;
        private bool first = true;

        public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> value)
        {
            if (value.IsEmpty)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            if (value.Length > ChunkSize / 4)
            {
                return value.ToArray();
            }

            if (chunk.Length - used < value.Length)
            {
                // values are copied in before they are exposed, and the tail is never exposed: no need to zero it
                var size = first && sourceLength > 0 ? (int)Math.Clamp(sourceLength, value.Length, ChunkSize) : ChunkSize;
                chunk = GC.AllocateUninitializedArray<byte>(size);
                used = 0;
                first = false;
            }

            value.CopyTo(chunk.AsSpan(used));
            var memory = new ReadOnlyMemory<byte>(chunk, used, value.Length);
            used += value.Length;
            return memory;
        }
    }
}
