namespace ImagingRepo.Dicom;

/// <summary>A data element of a dataset: a value element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomElement
{
    /// <summary>Creates an element.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    protected DicomElement(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR.</summary>
    public DicomVR VR { get; }

    /// <summary>The dictionary keyword of the tag, or null for private and unknown tags.</summary>
    public string? Keyword => DicomDictionary.GetKeyword(Tag);

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR.Code()} {Keyword}";
}

/// <summary>
/// An element with a value: in memory (little-endian byte order for binary VRs, as read), or kept in its source as a
/// <see cref="DicomValueReference"/> until asked for.
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    private readonly ReadOnlyMemory<byte> memory;

    /// <summary>Creates an element with a value in memory.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="value">The value bytes (little-endian for binary VRs), not copied.</param>
    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> value)
        : base(tag, vr)
    {
        memory = value;
    }

    /// <summary>Creates an element whose value stays in its source.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="reference">Where the value is.</param>
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomValueReference reference)
        : base(tag, vr)
    {
        Reference = reference ?? throw new ArgumentNullException(nameof(reference));
    }

    /// <summary>The value length in bytes.</summary>
    public long Length => Reference?.Length ?? memory.Length;

    /// <summary>True when the value is kept in its source (see <see cref="Reference"/>).</summary>
    public bool IsLazy => Reference is not null;

    /// <summary>Where the value is when it was kept in its source; null when it is in memory.</summary>
    public DicomValueReference? Reference { get; }

    /// <summary>
    /// The value bytes in little-endian order. A lazily kept value is read from its source on every call (not cached:
    /// pixel data should be streamed with <see cref="CopyValueTo"/> instead).
    /// </summary>
    /// <returns>The bytes.</returns>
    public ReadOnlyMemory<byte> GetBytes() => Reference is { } reference ? reference.ToArray() : memory;

    /// <summary>The in-memory value, or empty for a lazily kept one (no I/O).</summary>
    public ReadOnlySpan<byte> Span => memory.Span;

    /// <summary>Copies the value to a stream in chunks (little-endian order unless <paramref name="bigEndian"/>).</summary>
    /// <param name="destination">The stream.</param>
    /// <param name="bigEndian">True to write numbers in big-endian order.</param>
    public void CopyValueTo(Stream destination, bool bigEndian = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Reference is { } reference)
        {
            reference.CopyTo(destination, bigEndian);
            return;
        }

        if (bigEndian && VR.ByteSwapSize() > 1)
        {
            var copy = memory.ToArray();
            ByteSwap.InPlace(copy, VR.ByteSwapSize());
            destination.Write(copy);
            return;
        }

        destination.Write(memory.Span);
    }
}

/// <summary>A sequence of items, each a nested dataset.</summary>
public sealed class DicomSequence : DicomElement
{
    /// <summary>Creates an empty sequence.</summary>
    /// <param name="tag">The tag.</param>
    public DicomSequence(DicomTag tag)
        : base(tag, DicomVR.SQ)
    {
    }

    /// <summary>Creates a sequence holding items.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="items">The items.</param>
    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items)
        : base(tag, DicomVR.SQ)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var item in items)
        {
            Items.Add(item);
        }
    }

    /// <summary>The items. Items added here take the dataset holding the sequence as their <see cref="DicomDataset.Parent"/>.</summary>
    public IList<DicomDataset> Items => items;

    private readonly ItemCollection items = new();

    /// <summary>The dataset holding this sequence; items inherit its character set.</summary>
    internal DicomDataset? Owner
    {
        get => items.Owner;
        set
        {
            items.Owner = value;
            foreach (var item in items)
            {
                item.Parent = value;
            }
        }
    }

    private sealed class ItemCollection : System.Collections.ObjectModel.Collection<DicomDataset>
    {
        public DicomDataset? Owner { get; set; }

        protected override void InsertItem(int index, DicomDataset item)
        {
            ArgumentNullException.ThrowIfNull(item);
            item.Parent = Owner ?? item.Parent;
            base.InsertItem(index, item);
        }

        protected override void SetItem(int index, DicomDataset item)
        {
            ArgumentNullException.ThrowIfNull(item);
            item.Parent = Owner ?? item.Parent;
            base.SetItem(index, item);
        }
    }

    /// <summary>True when the sequence is written with undefined length and a delimiter (the default; preserved from reading).</summary>
    public bool HasUndefinedLength { get; set; } = true;

    /// <summary>True when the sequence was read from a UN element of undefined length (CP-246).</summary>
    public bool WasUnknownVR { get; init; }
}

/// <summary>Encapsulated pixel data: a Basic Offset Table followed by fragments of compressed frames.</summary>
public sealed class DicomFragmentSequence : DicomElement
{
    /// <summary>Creates empty encapsulated pixel data.</summary>
    /// <param name="tag">The tag (normally <see cref="DicomTags.PixelData"/>).</param>
    /// <param name="vr">The VR as declared (OB or OW).</param>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr)
        : base(tag, vr)
    {
    }

    /// <summary>The fragments; the first is the Basic Offset Table (possibly empty).</summary>
    public IList<DicomFragment> Fragments { get; } = new List<DicomFragment>();

    /// <summary>The Basic Offset Table entries (little-endian 32-bit offsets), empty when the table is empty.</summary>
    /// <returns>The offsets.</returns>
    public uint[] GetBasicOffsetTable()
    {
        if (Fragments.Count == 0)
        {
            return [];
        }

        var bytes = Fragments[0].GetBytes().Span;
        var offsets = new uint[bytes.Length / 4];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        }

        return offsets;
    }
}

/// <summary>One fragment (item) of encapsulated pixel data, in memory or kept in its source.</summary>
public sealed class DicomFragment
{
    private readonly ReadOnlyMemory<byte> memory;

    /// <summary>Creates a fragment in memory.</summary>
    /// <param name="value">The bytes, not copied.</param>
    public DicomFragment(ReadOnlyMemory<byte> value) => memory = value;

    /// <summary>Creates a fragment kept in its source.</summary>
    /// <param name="reference">Where it is.</param>
    public DicomFragment(DicomValueReference reference) => Reference = reference ?? throw new ArgumentNullException(nameof(reference));

    /// <summary>The fragment length in bytes.</summary>
    public long Length => Reference?.Length ?? memory.Length;

    /// <summary>True when kept in the source.</summary>
    public bool IsLazy => Reference is not null;

    /// <summary>Where the fragment is, when kept in the source.</summary>
    public DicomValueReference? Reference { get; }

    /// <summary>The fragment bytes (read from the source on each call when lazy).</summary>
    /// <returns>The bytes.</returns>
    public ReadOnlyMemory<byte> GetBytes() => Reference is { } reference ? reference.ToArray() : memory;

    /// <summary>Copies the fragment to a stream in chunks.</summary>
    /// <param name="destination">The stream.</param>
    public void CopyTo(Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (Reference is { } reference)
        {
            reference.CopyTo(destination);
        }
        else
        {
            destination.Write(memory.Span);
        }
    }
}
