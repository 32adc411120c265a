using ImagingRepo.Dicom;

namespace ImagingRepo.Inference.Volumes;

/// <summary>One source slice of a volume, in volume order (along the slice normal).</summary>
/// <param name="SopClassUid">SOP Class UID.</param>
/// <param name="SopInstanceUid">SOP Instance UID.</param>
/// <param name="Position">Image Position (Patient) of the first pixel.</param>
/// <param name="PositionText">Image Position (Patient) exactly as the source wrote it, so results repeat it to the digit.</param>
/// <param name="FilePath">The file it came from.</param>
public sealed record SourceSlice(string SopClassUid, string SopInstanceUid, Vector3D Position, string PositionText, string FilePath);

/// <summary>
/// The source a result refers to: the series' slices in volume order and the geometry they share, with the first
/// slice's header for the patient, study and frame-of-reference attributes a result copies.
/// </summary>
public sealed record SourceSeries
{
    /// <summary>The first slice's header (pixel data not kept).</summary>
    public required DicomDataset Header { get; init; }

    /// <summary>The slices, sorted along the normal.</summary>
    public required IReadOnlyList<SourceSlice> Slices { get; init; }

    /// <summary>Rows per slice.</summary>
    public required int Rows { get; init; }

    /// <summary>Columns per slice.</summary>
    public required int Columns { get; init; }

    /// <summary>Direction of a row (increasing column index).</summary>
    public required Vector3D RowDirection { get; init; }

    /// <summary>Direction of a column (increasing row index).</summary>
    public required Vector3D ColumnDirection { get; init; }

    /// <summary>Image Orientation (Patient) exactly as the source wrote it.</summary>
    public required string OrientationText { get; init; }

    /// <summary>Pixel Spacing exactly as the source wrote it (row spacing, then column spacing).</summary>
    public required string PixelSpacingText { get; init; }

    /// <summary>Distance between adjacent rows in mm (the first Pixel Spacing value).</summary>
    public required double RowSpacing { get; init; }

    /// <summary>Distance between adjacent columns in mm (the second Pixel Spacing value).</summary>
    public required double ColumnSpacing { get; init; }

    /// <summary>Distance between slice positions in mm (the median step along the normal).</summary>
    public required double SliceSpacing { get; init; }

    /// <summary>Slice Thickness of the first slice, or null.</summary>
    public double? SliceThickness { get; init; }

    /// <summary>The slice normal (row × column).</summary>
    public Vector3D Normal => Vector3D.Cross(RowDirection, ColumnDirection).Normalized();

    /// <summary>Series Instance UID.</summary>
    public string SeriesInstanceUid => Header.GetString(DicomTags.SeriesInstanceUID) ?? string.Empty;

    /// <summary>Study Instance UID.</summary>
    public string StudyInstanceUid => Header.GetString(DicomTags.StudyInstanceUID) ?? string.Empty;

    /// <summary>Frame of Reference UID, or null.</summary>
    public string? FrameOfReferenceUid => Header.GetString(DicomTags.FrameOfReferenceUID);
}
