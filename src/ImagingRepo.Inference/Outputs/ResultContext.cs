using ImagingRepo.Inference.Runtime;

namespace ImagingRepo.Inference.Outputs;

/// <summary>What every result of one run shares: the model, where it ran, and when.</summary>
/// <param name="Model">The model's description (identity, labels).</param>
/// <param name="Provider">The execution provider it ran on.</param>
/// <param name="CreatedAt">When the results are created (content and instance creation date and time).</param>
public sealed record ResultContext(ModelDescription Model, ExecutionProviderReport Provider, DateTimeOffset CreatedAt)
{
    /// <summary>Series Number given to result series (default 9001, out of the way of acquired series).</summary>
    public int SeriesNumber { get; init; } = 9001;
}
