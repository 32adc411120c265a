namespace ImagingRepo.Dicom.IO;

/// <summary>How to read DICOM input.</summary>
public sealed class DicomReadOptions
{
    /// <summary>The defaults: lenient, values of 64 KiB and more kept in the source.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>
    /// When true, every malformation that the lenient reader works around (see <see cref="DicomDiagnostic"/>) raises a
    /// <see cref="DicomReadException"/> instead.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Values of at least this many bytes are not read into memory but kept as <see cref="DicomValueReference"/>s into a
    /// seekable source (default 64 KiB). Use <see cref="int.MaxValue"/> to load everything.
    /// </summary>
    public int LargeValueThreshold { get; init; } = 64 * 1024;

    /// <summary>The deepest nesting of sequences accepted (default 64); deeper input is rejected rather than risking the stack.</summary>
    public int MaxSequenceDepth { get; init; } = 64;

    /// <summary>When set, reading stops before the first top-level element whose tag is not smaller (e.g. <see cref="DicomTags.PixelData"/> to read only the header).</summary>
    public DicomTag? StopAtTag { get; init; }
}
