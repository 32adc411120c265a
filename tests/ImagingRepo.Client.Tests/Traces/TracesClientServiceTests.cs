using ImagingRepo.Client.Http;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Client.Traces;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Tests.Traces;

/// <summary>
/// <see cref="TracesClient"/> against the reference service's tracer API with real tokens: what one dialect records the
/// other lists, the service pseudonymizes the user, and an unknown id is answered per blockchain without a trace.
/// </summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class TracesClientServiceTests(ReferenceService service)
{
    private static UseDatasetsTrace Use(string dataset, string user) => new()
    {
        Id = Guid.NewGuid(),
        CallerId = "imagingrepo-client-tests",
        Timestamp = 1_711_353_070_000,
        UserId = user,
        DatasetsIds = [dataset],
        Tool = new TraceTool("nnunet", "2.1"),
    };

    [SkippableFact]
    public async Task Traces_recorded_in_either_dialect_are_listed_and_read_in_both()
    {
        service.Require();
        var tokens = service.Persona("persona-access-admin");
        var dataset = Guid.NewGuid().ToString();
        var v1 = new TracesClient(service.BaseAddress, tokens, null);
        var v2 = new TracesClient(service.BaseAddress, tokens, new TracesClientOptions { Api = TracerApi.EucaimV2 });

        await v1.RecordAsync(Use(dataset, "researcher.one@example.org"));
        var created = await v2.RecordAsync(Use(dataset, "researcher.two@example.org"));
        Assert.True(Guid.TryParse(created.TraceId, out _), created.TraceId);

        var listed = await v1.GetV1TracesAsync(new TracerV1Query { DatasetIds = [dataset] }).ToListAsync();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, l => Assert.Equal(TraceUserAction.UseDatasets, l.Summary.UserAction));
        Assert.All(listed, l => Assert.StartsWith("pseud:", l.Summary.UserId, StringComparison.Ordinal)); // no plain user id kept

        // The plain user id a caller knows still finds its trace.
        var mine = Assert.Single(await v1.GetV1TracesAsync(new TracerV1Query { DatasetIds = [dataset], UserIds = ["researcher.one@example.org"] }).ToListAsync());
        var stored = await v1.GetV1TraceAsync(mine.Summary.Id);
        Assert.Contains(stored, b => b.Trace?.Trace is UseDatasetsTrace use && use.DatasetsIds.SequenceEqual([dataset]) && use.Tool?.Name == "nnunet");

        var fromV2 = await v2.GetV2TracesAsync(dataset).ToListAsync();
        Assert.Equal(listed.Select(l => l.Summary.Id).Order(StringComparer.Ordinal), fromV2.Select(t => t.Id).Order(StringComparer.Ordinal));
        Assert.Empty(await v2.GetV2TracesAsync(Guid.NewGuid().ToString()).ToListAsync());

        // As the CHAIMELEON tracer answers an id no blockchain holds: each blockchain, with no trace.
        var unknown = await v1.GetV1TraceAsync(Guid.NewGuid().ToString());
        Assert.NotEmpty(unknown);
        Assert.All(unknown, b => Assert.Null(b.Trace));
    }

    [SkippableFact]
    public async Task Recording_without_a_writer_role_is_refused_with_the_services_detail()
    {
        service.Require();
        var reader = new TracesClient(service.BaseAddress, service.Persona("persona-reader"), null);

        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() => reader.RecordAsync(Use(Guid.NewGuid().ToString(), "reader@example.org")));
        Assert.Contains("trace_writer", refused.Problem?.Detail ?? "", StringComparison.Ordinal);
    }
}
