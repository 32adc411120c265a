namespace ImagingRepo.Dicom;

/// <summary>A transfer syntax: how a dataset is encoded (VR explicit or implicit, byte order, deflate, encapsulation).</summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    // How a syntax encodes a dataset, kept as one value so that the registered syntaxes below read as a table.
    [Flags]
    private enum Encoding
    {
        ImplicitLittleEndian = 0,
        ExplicitVR = 1,
        BigEndian = 2,
        Deflated = 4,
        Encapsulated = 8,
    }

    private readonly Encoding _encoding;

    private DicomTransferSyntax(string uid, string name, Encoding encoding)
    {
        Uid = uid;
        Name = name;
        _encoding = encoding;
    }

    /// <summary>The transfer syntax UID.</summary>
    public string Uid { get; }

    /// <summary>The registered name, or the UID when it is not registered.</summary>
    public string Name { get; }

    /// <summary>True when element headers carry their VR.</summary>
    public bool IsExplicitVR => _encoding.HasFlag(Encoding.ExplicitVR);

    /// <summary>True for Explicit VR Big Endian (retired, still found in archives).</summary>
    public bool IsBigEndian => _encoding.HasFlag(Encoding.BigEndian);

    /// <summary>True when the dataset after the file meta group is deflated (RFC 1951).</summary>
    public bool IsDeflated => _encoding.HasFlag(Encoding.Deflated);

    /// <summary>True when pixel data is encapsulated (compressed frames in fragments).</summary>
    public bool IsEncapsulated => _encoding.HasFlag(Encoding.Encapsulated);

    /// <summary>Implicit VR Little Endian <c>1.2.840.10008.1.2</c>.</summary>
    public static DicomTransferSyntax ImplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2", "Implicit VR Little Endian", Encoding.ImplicitLittleEndian);

    /// <summary>Explicit VR Little Endian <c>1.2.840.10008.1.2.1</c>.</summary>
    public static DicomTransferSyntax ExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Encoding.ExplicitVR);

    /// <summary>Deflated Explicit VR Little Endian <c>1.2.840.10008.1.2.1.99</c>.</summary>
    public static DicomTransferSyntax DeflatedExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Encoding.ExplicitVR | Encoding.Deflated);

    /// <summary>Explicit VR Big Endian <c>1.2.840.10008.1.2.2</c> (retired).</summary>
    public static DicomTransferSyntax ExplicitVRBigEndian { get; } = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", Encoding.ExplicitVR | Encoding.BigEndian);

    /// <summary>True for the syntaxes the writer can transcode between (implicit/explicit LE, explicit BE, deflated).</summary>
    public bool IsUncompressed => !IsEncapsulated;

    /// <summary>Finds the transfer syntax of a UID. Unknown UIDs are treated as encapsulated Explicit VR Little Endian, as PS3.5 A.4 requires of every compressed syntax.</summary>
    /// <param name="uid">The UID (trailing padding is ignored).</param>
    /// <returns>The transfer syntax.</returns>
    public static DicomTransferSyntax FromUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        uid = uid.TrimEnd('\0', ' ');
        foreach (var known in new[] { ExplicitVRLittleEndian, ImplicitVRLittleEndian, DeflatedExplicitVRLittleEndian, ExplicitVRBigEndian })
        {
            if (known.Uid == uid)
            {
                return known;
            }
        }

        // Encapsulated Uncompressed Explicit VR Little Endian is still encapsulated; JPIP Referenced Deflate is deflated and has no pixel data.
        var name = DicomUid.TryGetRegistered(uid, out var entry) ? entry.Name : uid;
        var deflated = uid is "1.2.840.10008.1.2.4.95" or "1.2.840.10008.1.2.4.205";
        return new DicomTransferSyntax(uid, name, Encoding.ExplicitVR | (deflated ? Encoding.Deflated : Encoding.Encapsulated));
    }

    /// <inheritdoc />
    public bool Equals(DicomTransferSyntax? other) => other is not null && other.Uid == Uid;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Uid);

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Uid})";
}
