namespace ImagingRepo.Dicom;

/// <summary>A transfer syntax: how a dataset is encoded (VR explicit or implicit, byte order, deflate, encapsulation).</summary>
public sealed class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private DicomTransferSyntax(string uid, string name, bool isExplicitVR, bool isBigEndian, bool isDeflated, bool isEncapsulated)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = isExplicitVR;
        IsBigEndian = isBigEndian;
        IsDeflated = isDeflated;
        IsEncapsulated = isEncapsulated;
    }

    /// <summary>The transfer syntax UID.</summary>
    public string Uid { get; }

    /// <summary>The registered name, or the UID when it is not registered.</summary>
    public string Name { get; }

    /// <summary>True when element headers carry their VR.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for Explicit VR Big Endian (retired, still found in archives).</summary>
    public bool IsBigEndian { get; }

    /// <summary>True when the dataset after the file meta group is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>True when pixel data is encapsulated (compressed frames in fragments).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>Implicit VR Little Endian <c>1.2.840.10008.1.2</c>.</summary>
    public static DicomTransferSyntax ImplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);

    /// <summary>Explicit VR Little Endian <c>1.2.840.10008.1.2.1</c>.</summary>
    public static DicomTransferSyntax ExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);

    /// <summary>Deflated Explicit VR Little Endian <c>1.2.840.10008.1.2.1.99</c>.</summary>
    public static DicomTransferSyntax DeflatedExplicitVRLittleEndian { get; } = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    /// <summary>Explicit VR Big Endian <c>1.2.840.10008.1.2.2</c> (retired).</summary>
    public static DicomTransferSyntax ExplicitVRBigEndian { get; } = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);

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
        return new DicomTransferSyntax(uid, name, true, false, deflated, !deflated);
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
