using ImagingRepo.Service.Licenses;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads <c>licenses</c>, in their configured order.</summary>
internal sealed class LicenseRepository
{
    public Task<List<LicenseRecord>> ListAsync(DbSession session, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT title, url FROM licenses ORDER BY ordinal", r => new LicenseRecord(r.GetString(0), r.GetString(1)), cancellationToken);
}
