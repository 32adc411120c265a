using System.Globalization;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Storage;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Pids;

/// <summary>
/// Keeps a dataset's persistent identifier in step with its lifecycle, inside the transaction of the change
/// (<see cref="DatasetPatchService"/>): published without a custom pid → a DOI is registered (or its closed record opened
/// again); unpublished or invalidated → its record is closed (CHAIMELEON leaves it open; we do not, see docs/service.md);
/// a public dataset reactivated → opened again. When the registry fails, the change is refused with a problem response
/// and the transaction rolls back, so the dataset keeps its state.
/// </summary>
internal sealed class DatasetPidCoordinator(
    IPidProvider provider,
    ProjectRepository projects,
    IOptions<ServiceOptions> serviceOptions,
    IOptions<PidOptions> pidOptions,
    TimeProvider time)
{
    /// <summary>Acts on a change already applied to <paramref name="dataset"/> (not yet written).</summary>
    public async Task OnChangedAsync(DbSession session, DatasetRecord dataset, TraceUpdateDetails? change, CancellationToken cancellationToken)
    {
        if (dataset.External || change is not { } detail) return;
        switch (detail)
        {
            case TraceUpdateDetails.Publish when dataset.PidZenodoDoi is not null || dataset.PidPreferred != "custom":
            case TraceUpdateDetails.Reactivate when dataset.Public && dataset.PidZenodoDoi is not null:
                await PublishAsync(session, dataset, open: true, choosePreferred: true, cancellationToken).ConfigureAwait(false);
                break;
            case TraceUpdateDetails.Unpublish when dataset.PidZenodoDoi is not null:
            case TraceUpdateDetails.Invalidate when dataset.Public && dataset.PidZenodoDoi is not null:
                await CallAsync(async () => await provider.WithdrawAsync(await DescribeAsync(session, dataset, false, cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false), dataset.Id).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// <c>PATCH pids {"preferred": "zenodoDoi"}</c> before the dataset has a DOI: registers one now (closed while the
    /// dataset is not public), as the v1 spec says; 409 when the provider mints no DOI.
    /// </summary>
    public async Task MintForPreferenceAsync(DbSession session, DatasetRecord dataset, CancellationToken cancellationToken)
    {
        if (dataset.PidZenodoDoi is not null) return;
        if (dataset.External) throw ServiceProblemException.Conflict($"The dataset '{dataset.Id}' is external: persistent identifiers are given by its own node.");
        // pids.preferred is set by the PATCH itself, after this.
        await PublishAsync(session, dataset, dataset.Public && !dataset.Invalidated, choosePreferred: false, cancellationToken).ConfigureAwait(false);
        if (dataset.PidZenodoDoi is null)
        {
            throw ServiceProblemException.Conflict($"The dataset '{dataset.Id}' has no Zenodo DOI: no persistent-identifier provider is configured for its project.");
        }
    }

    private async Task PublishAsync(DbSession session, DatasetRecord dataset, bool open, bool choosePreferred, CancellationToken cancellationToken)
    {
        var described = await DescribeAsync(session, dataset, open, cancellationToken).ConfigureAwait(false);
        string? doi = null;
        await CallAsync(async () => doi = await provider.PublishAsync(described, cancellationToken).ConfigureAwait(false), dataset.Id).ConfigureAwait(false);
        if (doi is null || dataset.PidZenodoDoi is not null) return;
        dataset.PidZenodoDoi = doi;
        if (choosePreferred) dataset.PidPreferred ??= "zenodoDoi";
    }

    private async Task<PidDataset> DescribeAsync(DbSession session, DatasetRecord d, bool open, CancellationToken cancellationToken)
    {
        var config = (await projects.GetAsync(session, d.Project, cancellationToken).ConfigureAwait(false))?.Config;
        return new PidDataset
        {
            Id = d.Id,
            Title = d.Name,
            Description = d.Description,
            Creator = config?.ZenodoAuthor is { Length: > 0 } author ? author : d.AuthorName,
            LandingPage = LandingPage(d.Id),
            Doi = d.PidZenodoDoi,
            AccessOpen = open,
            LicenseUrl = d.LicenseUrl,
            Version = d.Version,
            PublicationDate = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime),
            Community = config?.ZenodoCommunity ?? "",
            Grant = config?.ZenodoGrant ?? "",
            AccessToken = config?.ZenodoAccessToken ?? "",
        };
    }

    /// <summary>The dataset's page: <c>DatasetLinkFormat</c>, made absolute against <c>Pids:PublicBaseUrl</c> when relative.</summary>
    public Uri LandingPage(string id)
    {
        var link = string.Format(CultureInfo.InvariantCulture, serviceOptions.Value.DatasetLinkFormat, Uri.EscapeDataString(id));
        if (Uri.TryCreate(link, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return absolute;
        return new Uri(pidOptions.Value.PublicBaseUrl ?? new Uri(ServiceApplication.DefaultUrl), link);
    }

    private static async Task CallAsync(Func<Task> call, string datasetId)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (PidProviderException e)
        {
            var detail = $"The persistent identifier of the dataset '{datasetId}' could not be updated, so the change was not made: {e.Message}";
            throw e.Failure == PidFailure.Rejected ? ServiceProblemException.Unprocessable(detail) : ServiceProblemException.BadGateway(detail);
        }
    }
}
