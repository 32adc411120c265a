using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Storage;

namespace ImagingRepo.Service.Licenses;

/// <summary>The licences datasets may carry (<c>GET /licenses</c>), open to anyone.</summary>
internal sealed class LicenseService(Database database, LicenseRepository licenses)
{
    public async Task<List<LicenseWire>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(s => licenses.ListAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false))
            .Select(l => new LicenseWire(l.Title, l.Url)).ToList();
}
