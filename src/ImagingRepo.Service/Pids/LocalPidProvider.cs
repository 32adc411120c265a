namespace ImagingRepo.Service.Pids;

/// <summary>
/// The embedded default: no registry. A dataset's identifier is its id, which never changes, and its stable landing
/// page (<c>DatasetLinkFormat</c>) is the URL to cite; no DOI is minted, so <c>pids.urls.zenodoDoi</c> stays null.
/// </summary>
public sealed class LocalPidProvider : IPidProvider
{
    /// <inheritdoc />
    public Task<string?> PublishAsync(PidDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Task.FromResult<string?>(null);
    }

    /// <inheritdoc />
    public Task WithdrawAsync(PidDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return Task.CompletedTask;
    }
}
