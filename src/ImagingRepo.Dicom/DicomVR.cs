namespace ImagingRepo.Dicom;

/// <summary>
/// A DICOM value representation. The numeric value is the two ASCII letters as a big-endian 16-bit number, so the two
/// bytes of an explicit-VR header convert with one shift and a table check.
/// </summary>
#pragma warning disable CA1028 // The 16-bit underlying type is the wire form of the VR.
public enum DicomVR : ushort
#pragma warning restore CA1028
{
    /// <summary>No VR: items, delimiters, and dictionary entries without a VR.</summary>
    None = 0,
    /// <summary>Application Entity.</summary>
    AE = ('A' << 8) | 'E',
    /// <summary>Age String.</summary>
    AS = ('A' << 8) | 'S',
    /// <summary>Attribute Tag.</summary>
    AT = ('A' << 8) | 'T',
    /// <summary>Code String.</summary>
    CS = ('C' << 8) | 'S',
    /// <summary>Date.</summary>
    DA = ('D' << 8) | 'A',
    /// <summary>Decimal String.</summary>
    DS = ('D' << 8) | 'S',
    /// <summary>Date Time.</summary>
    DT = ('D' << 8) | 'T',
    /// <summary>Floating Point Double.</summary>
    FD = ('F' << 8) | 'D',
    /// <summary>Floating Point Single.</summary>
    FL = ('F' << 8) | 'L',
    /// <summary>Integer String.</summary>
    IS = ('I' << 8) | 'S',
    /// <summary>Long String.</summary>
    LO = ('L' << 8) | 'O',
    /// <summary>Long Text.</summary>
    LT = ('L' << 8) | 'T',
    /// <summary>Other Byte.</summary>
    OB = ('O' << 8) | 'B',
    /// <summary>Other Double.</summary>
    OD = ('O' << 8) | 'D',
    /// <summary>Other Float.</summary>
    OF = ('O' << 8) | 'F',
    /// <summary>Other Long.</summary>
    OL = ('O' << 8) | 'L',
    /// <summary>Other 64-bit Very Long.</summary>
    OV = ('O' << 8) | 'V',
    /// <summary>Other Word.</summary>
    OW = ('O' << 8) | 'W',
    /// <summary>Person Name.</summary>
    PN = ('P' << 8) | 'N',
    /// <summary>Short String.</summary>
    SH = ('S' << 8) | 'H',
    /// <summary>Signed Long.</summary>
    SL = ('S' << 8) | 'L',
    /// <summary>Sequence of Items.</summary>
    SQ = ('S' << 8) | 'Q',
    /// <summary>Signed Short.</summary>
    SS = ('S' << 8) | 'S',
    /// <summary>Short Text.</summary>
    ST = ('S' << 8) | 'T',
    /// <summary>Signed 64-bit Very Long.</summary>
    SV = ('S' << 8) | 'V',
    /// <summary>Time.</summary>
    TM = ('T' << 8) | 'M',
    /// <summary>Unlimited Characters.</summary>
    UC = ('U' << 8) | 'C',
    /// <summary>Unique Identifier.</summary>
    UI = ('U' << 8) | 'I',
    /// <summary>Unsigned Long.</summary>
    UL = ('U' << 8) | 'L',
    /// <summary>Unknown.</summary>
    UN = ('U' << 8) | 'N',
    /// <summary>Universal Resource Identifier or Locator.</summary>
    UR = ('U' << 8) | 'R',
    /// <summary>Unsigned Short.</summary>
    US = ('U' << 8) | 'S',
    /// <summary>Unlimited Text.</summary>
    UT = ('U' << 8) | 'T',
    /// <summary>Unsigned 64-bit Very Long.</summary>
    UV = ('U' << 8) | 'V',
}

/// <summary>Facts about value representations (PS3.5 section 6.2 and 7.1.2).</summary>
public static class DicomVRExtensions
{
    [Flags]
    private enum Traits : byte
    {
        None = 0,
        Known = 1,
        LongLength = 2,      // explicit VR with 2 reserved bytes and a 32-bit length
        Text = 4,            // character string VRs (backslash separated, space padded)
        CharacterSetAware = 8, // decoded with Specific Character Set
        NullPadded = 16,     // UI, OB, UN: padded with 0x00
        SingleValue = 32,    // LT, ST, UT, UR: backslash is not a separator
    }

    private static readonly Traits[] Table = BuildTable();

    private static Traits[] BuildTable()
    {
        var table = new Traits[26 * 26];
        void Set(DicomVR vr, Traits traits) => table[Index(vr)] = traits | Traits.Known;
        foreach (var vr in new[] { DicomVR.AE, DicomVR.AS, DicomVR.CS, DicomVR.DA, DicomVR.DS, DicomVR.DT, DicomVR.IS, DicomVR.TM })
        {
            Set(vr, Traits.Text);
        }

        Set(DicomVR.UI, Traits.Text | Traits.NullPadded);
        foreach (var vr in new[] { DicomVR.LO, DicomVR.SH, DicomVR.PN })
        {
            Set(vr, Traits.Text | Traits.CharacterSetAware);
        }

        Set(DicomVR.UC, Traits.Text | Traits.CharacterSetAware | Traits.LongLength);
        Set(DicomVR.LT, Traits.Text | Traits.CharacterSetAware | Traits.SingleValue);
        Set(DicomVR.ST, Traits.Text | Traits.CharacterSetAware | Traits.SingleValue);
        Set(DicomVR.UT, Traits.Text | Traits.CharacterSetAware | Traits.SingleValue | Traits.LongLength);
        Set(DicomVR.UR, Traits.Text | Traits.SingleValue | Traits.LongLength);
        foreach (var vr in new[] { DicomVR.AT, DicomVR.FD, DicomVR.FL, DicomVR.SL, DicomVR.SS, DicomVR.UL, DicomVR.US })
        {
            Set(vr, Traits.None);
        }

        foreach (var vr in new[] { DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.OW, DicomVR.SQ, DicomVR.SV, DicomVR.UV })
        {
            Set(vr, Traits.LongLength);
        }

        Set(DicomVR.OB, Traits.LongLength | Traits.NullPadded);
        Set(DicomVR.UN, Traits.LongLength | Traits.NullPadded);
        return table;
    }

    private static int Index(DicomVR vr)
    {
        var first = ((ushort)vr >> 8) - 'A';
        var second = ((ushort)vr & 0xFF) - 'A';
        return (uint)first < 26 && (uint)second < 26 ? (first * 26) + second : -1;
    }

    private static Traits Get(DicomVR vr)
    {
        var index = Index(vr);
        return index < 0 ? Traits.None : Table[index];
    }

    /// <summary>True for the 34 VRs of PS3.5 (false for <see cref="DicomVR.None"/> and unknown letter pairs).</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>True when the VR is defined.</returns>
    public static bool IsKnown(this DicomVR vr) => (Get(vr) & Traits.Known) != 0;

    /// <summary>True when an explicit-VR header of this VR has two reserved bytes and a 32-bit length.</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>True for OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV.</returns>
    public static bool HasLongLength(this DicomVR vr) => (Get(vr) & Traits.LongLength) != 0;

    /// <summary>True for character-string VRs.</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>True when values are text.</returns>
    public static bool IsText(this DicomVR vr) => (Get(vr) & Traits.Text) != 0;

    /// <summary>True for the VRs whose values are decoded with the Specific Character Set (SH, LO, ST, LT, UC, UT, PN).</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>True when character-set aware.</returns>
    public static bool IsCharacterSetAware(this DicomVR vr) => (Get(vr) & Traits.CharacterSetAware) != 0;

    /// <summary>True for text VRs where a backslash is part of the value (LT, ST, UT, UR).</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>True when the value is never split.</returns>
    public static bool IsSingleValued(this DicomVR vr) => (Get(vr) & Traits.SingleValue) != 0;

    /// <summary>The byte that pads a value to even length: 0x00 for UI, OB, UN and binary VRs, a space for text.</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>The padding byte.</returns>
    public static byte PaddingByte(this DicomVR vr) => (Get(vr) & (Traits.Text | Traits.NullPadded)) == Traits.Text ? (byte)' ' : (byte)0;

    /// <summary>The size of one binary number of this VR, which byte swapping works on (1 when no swapping applies).</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    public static int ByteSwapSize(this DicomVR vr) => vr switch
    {
        DicomVR.AT or DicomVR.OW or DicomVR.SS or DicomVR.US => 2,
        DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.SL or DicomVR.UL => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.OV or DicomVR.SV or DicomVR.UV => 8,
        _ => 1,
    };

    /// <summary>The two-letter code of the VR ("??" for none).</summary>
    /// <param name="vr">The VR.</param>
    /// <returns>The code.</returns>
    public static string Code(this DicomVR vr) => vr == DicomVR.None ? "??" : vr.ToString();

    /// <summary>Converts two ASCII bytes from an explicit-VR header into a VR, when they name a known one.</summary>
    /// <param name="first">The first byte.</param>
    /// <param name="second">The second byte.</param>
    /// <param name="vr">The VR when the result is true.</param>
    /// <returns>True when the bytes name a known VR.</returns>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = (DicomVR)((first << 8) | second);
        return IsKnown(vr);
    }
}
