namespace ImagingRepo.Dicom.Imaging;

/// <summary>Turns a raw sample of Bits Allocated bits into its stored value: shifted down to the high bit, masked to Bits Stored, sign-extended.</summary>
internal readonly struct StoredValueFormat
{
    private readonly int shift;
    private readonly uint mask;
    private readonly int signShift;

    public StoredValueFormat(int bitsStored, int highBit, bool isSigned)
    {
        BitsStored = bitsStored;
        IsSigned = isSigned;
        shift = Math.Max(highBit + 1 - bitsStored, 0);
        mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        signShift = 32 - bitsStored;
        IsPlain = shift == 0 && bitsStored >= 32;
    }

    public int BitsStored { get; }

    public bool IsSigned { get; }

    /// <summary>True when the raw 32-bit sample is the stored value as it is.</summary>
    public bool IsPlain { get; }

    /// <summary>The smallest stored value.</summary>
    public long Minimum => IsSigned ? -(1L << (BitsStored - 1)) : 0;

    /// <summary>The largest stored value.</summary>
    public long Maximum => IsSigned ? (1L << (BitsStored - 1)) - 1 : (1L << BitsStored) - 1;

    public int Convert(uint raw)
    {
        var value = (raw >> shift) & mask;
        return IsSigned ? ((int)(value << signShift)) >> signShift : (int)value;
    }

    /// <summary>The stored value as a number wide enough for 32-bit unsigned samples.</summary>
    public long ConvertWide(uint raw)
    {
        var value = (raw >> shift) & mask;
        return IsSigned ? ((int)(value << signShift)) >> signShift : value;
    }
}
