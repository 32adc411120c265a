// The reference dataset service and tracer API (docs/service.md). Without configuration it runs embedded: SQLite,
// trace outbox and file ledger in the data directory, insecure development authentication, loopback only.
// `creation-job` as first argument runs the queued dataset creations and exits: the body of a creation Job.
using ImagingRepo.Service.Creation.KubernetesJob;
using ImagingRepo.Service.Hosting;

if (args is [CreationJobManifest.Command, ..]) return await CreationJobProgram.RunAsync(args[1..]).ConfigureAwait(false);

var app = ServiceApplication.Build(args);
await ServiceApplication.InitializeAsync(app).ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
return 0;
