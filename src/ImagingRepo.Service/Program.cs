// The reference dataset service and tracer API (docs/service.md). Without configuration it runs embedded: SQLite,
// trace outbox and file ledger in the data directory, insecure development authentication, loopback only.
using ImagingRepo.Service.Hosting;

var app = ServiceApplication.Build(args);
await ServiceApplication.InitializeAsync(app).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
