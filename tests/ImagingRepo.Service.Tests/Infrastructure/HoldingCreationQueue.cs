using System.Collections.Concurrent;
using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Tests.Infrastructure;

/// <summary>
/// The creation queue of the tests: datasets whose name starts with <see cref="HeldPrefix"/> stay "being created"
/// until <see cref="FinishAsync"/>, so that the rules about creating datasets can be seen; the others finish at once
/// through the service's pass-through stand-in.
/// </summary>
internal sealed class HoldingCreationQueue(PassThroughDatasetCreation passThrough, IDatasetCreationStore store) : IDatasetCreationQueue
{
    public const string HeldPrefix = "held ";

    private readonly ConcurrentDictionary<string, bool> _held = new(StringComparer.Ordinal);

    public async Task EnqueueAsync(string datasetId, CancellationToken cancellationToken)
    {
        var input = await store.GetInputAsync(datasetId, cancellationToken);
        if (input is not null && input.Dataset.Name.StartsWith(HeldPrefix, StringComparison.Ordinal))
        {
            _held[datasetId] = true;
            return;
        }

        await passThrough.EnqueueAsync(datasetId, cancellationToken);
    }

    public Task CancelAsync(string datasetId, CancellationToken cancellationToken)
    {
        _held.TryRemove(datasetId, out _);
        return Task.CompletedTask;
    }

    public Task RestartAsync(string datasetId, CancellationToken cancellationToken) => EnqueueAsync(datasetId, cancellationToken);

    /// <summary>Finishes a held creation.</summary>
    public async Task FinishAsync(string datasetId)
    {
        _held.TryRemove(datasetId, out _);
        await passThrough.EnqueueAsync(datasetId, CancellationToken.None);
    }
}
