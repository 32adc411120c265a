using ImagingRepo.Inference.Outputs;
using ImagingRepo.Inference.Volumes;

namespace ImagingRepo.Inference;

/// <summary>How the pipeline assembles series and writes results.</summary>
public sealed record InferencePipelineOptions
{
    /// <summary>Slice-stack checks and gap handling.</summary>
    public VolumeAssemblyOptions Assembly { get; init; } = new();

    /// <summary>Segmentation type and frames.</summary>
    public SegmentationWriteOptions Segmentation { get; init; } = new();

    /// <summary>Series Number of result series (default 9001).</summary>
    public int SeriesNumber { get; init; } = 9001;

    /// <summary>
    /// When running over many series, record a series that fails (bad geometry, undecodable) in the summary and go on
    /// (default); false stops at the first failure. Either way nothing is written for a failed series.
    /// </summary>
    public bool ContinueAfterSeriesFailure { get; init; } = true;
}
