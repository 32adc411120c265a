using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference;

/// <summary>What a run did.</summary>
/// <param name="Summary">The summary written beside the results.</param>
/// <param name="Model">The model's description (identity for traces).</param>
/// <param name="Provider">Where the model ran.</param>
/// <param name="SeriesFound">Series found in the dataset.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
public sealed record InferenceRunResult(InferenceSummary Summary, ModelDescription Model, ExecutionProviderReport Provider, int SeriesFound, TimeSpan Elapsed)
{
    /// <summary>Series the selector chose.</summary>
    public int SeriesSelected => Summary.Series.Count;

    /// <summary>Series that failed (nothing written for them).</summary>
    public int SeriesFailed => Summary.Series.Count(s => s.Status != "done");
}
