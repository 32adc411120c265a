namespace ImagingRepo.Dicom.IO;

/// <summary>Special values of the 32-bit length field of an element or item header (PS3.5 §7.1).</summary>
internal static class DicomLengths
{
    /// <summary>Undefined length: the value (a sequence, an item or encapsulated pixel data) ends with a delimitation item.</summary>
    public const uint Undefined = 0xFFFFFFFF;
}
