namespace ImagingRepo.Inference.Outputs;

/// <summary>How a DICOM Segmentation encodes its segments.</summary>
public enum SegmentationType
{
    /// <summary>One 1-bit frame per segment and slice (Segmentation Storage): what every SEG viewer reads.</summary>
    Binary = 0,

    /// <summary>One 8-bit frame per slice holding segment numbers (Label Map Segmentation Storage, DICOM 2024): smaller, newer.</summary>
    Labelmap,
}
