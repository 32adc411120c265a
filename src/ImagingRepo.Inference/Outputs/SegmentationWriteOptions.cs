namespace ImagingRepo.Inference.Outputs;

/// <summary>How a DICOM Segmentation is written.</summary>
public sealed record SegmentationWriteOptions
{
    /// <summary>Binary (one 1-bit frame per segment and slice) or label map (one 8-bit frame per slice).</summary>
    public SegmentationType Type { get; init; } = SegmentationType.Binary;

    /// <summary>
    /// Leave out frames with nothing in them (binary only; default true). A segment with no pixel at all is then left
    /// out too; when nothing at all was found, the first segment is written with all its (empty) frames so the object
    /// still says "looked, found nothing".
    /// </summary>
    public bool OmitEmptyFrames { get; init; } = true;

    /// <summary>Content Label (uppercase letters, digits, underscore and space; at most 16).</summary>
    public string ContentLabel { get; init; } = "SEGMENTATION";
}
