namespace ImagingRepo.Dicom.Imaging;

/// <summary>
/// How the bytes of one frame lie in a <see cref="FrameBuffer"/>: native (uncompressed, little-endian) encoding of the
/// samples, which a decoder may change (a JPEG decoder turns YBR into RGB, RLE gives colour by planes).
/// </summary>
/// <param name="BitsAllocated">1, 8, 16 or 32.</param>
/// <param name="SamplesPerPixel">1 or 3.</param>
/// <param name="IsPlanar">True when all samples of one colour follow each other (planar configuration 1).</param>
/// <param name="IsSubsampled422">True for native YBR_FULL_422: two pixels as Y1 Y2 Cb Cr.</param>
/// <param name="Photometric">The photometric interpretation of the samples as they lie here.</param>
/// <param name="BitOffset">For 1-bit data: the bit of the first byte where the frame starts (frames are not byte aligned).</param>
internal readonly record struct FrameLayout(int BitsAllocated, int SamplesPerPixel, bool IsPlanar, bool IsSubsampled422, string Photometric, int BitOffset = 0)
{
    /// <summary>When not 0: the bits per sample the codestream says, to be used instead of Bits Stored (which it exceeds).</summary>
    public int Precision { get; init; }

    /// <summary>With <see cref="Precision"/>: whether the codestream's samples are signed.</summary>
    public bool PrecisionSigned { get; init; }

    /// <summary>How to read stored values from this frame: the image's format, or the codestream's precision where it says more.</summary>
    public StoredValueFormat Format(StoredValueFormat image) => Precision > 0 ? new StoredValueFormat(Precision, Precision - 1, PrecisionSigned) : image;

    /// <summary>The number of bytes a frame of <paramref name="pixels"/> pixels takes in this layout.</summary>
    public long ByteLength(long pixels)
    {
        if (BitsAllocated == 1)
        {
            return ((pixels * SamplesPerPixel) + BitOffset + 7) / 8;
        }

        var samples = IsSubsampled422 ? pixels * 2 : pixels * SamplesPerPixel;
        return samples * (BitsAllocated / 8);
    }
}
