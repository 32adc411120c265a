using Microsoft.Extensions.Hosting;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>Applies the operation store's migrations when the host starts, before any request or worker uses it.</summary>
internal sealed class DatasetCreationStoreInitializer(IDatasetCreationStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
