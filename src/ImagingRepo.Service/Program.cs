// The reference dataset service and tracer API. Endpoints are added as the libraries land.
var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();

app.MapGet("/healthz", () => Results.Text("ok"));

await app.RunAsync().ConfigureAwait(false);
