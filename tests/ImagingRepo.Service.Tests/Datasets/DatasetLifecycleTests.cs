using System.Net;
using ImagingRepo.Service.Tests.Infrastructure;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using ImagingRepo.Tracing.Privacy;

namespace ImagingRepo.Service.Tests.Datasets;

/// <summary>
/// A dataset's life over real HTTP with oidc-provider tokens: created, released, published, unpublished, invalidated
/// and reactivated, each step read back and traced; the steps the lifecycle forbids answer 409 and change nothing.
/// </summary>
public abstract class DatasetLifecycleTests(ServiceFixture fixture)
{
    [SkippableFact]
    public async Task A_dataset_goes_from_draft_to_released_to_published_and_back_with_one_trace_per_change()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        using var superadmin = await fixture.ClientAsync(Personas.Superadmin);
        var id = await curator.CreateDatasetAsync(Api.Unique("Lifecycle"));

        var draft = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.True(draft.GetProperty("draft").GetBoolean());
        Assert.False(draft.GetProperty("creating").GetBoolean());
        Assert.Equal("Carl Curator", draft.GetProperty("authorName").GetString());
        Assert.Equal("CC BY 4.0", draft.GetProperty("license").GetProperty("title").GetString());
        Assert.Equal("contact@alpha.example", draft.GetProperty("contactInfo").GetString());
        Assert.Contains("draft", draft.GetProperty("editablePropertiesByTheUser").EnumerateArray().Select(e => e.GetString()));

        await curator.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        var released = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.False(released.GetProperty("draft").GetBoolean());
        Assert.False(released.TryGetProperty("creating", out _));

        await superadmin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        Assert.True((await curator.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());
        await superadmin.PatchAsync(id, "public", false).ExpectAsync(HttpStatusCode.NoContent);
        Assert.False((await curator.GetJsonAsync($"api/datasets/{id}")).GetProperty("public").GetBoolean());

        await curator.PatchAsync(id, "invalidated", true).ExpectAsync(HttpStatusCode.NoContent);
        await curator.PatchAsync(id, "invalidationReason", "It contains corrupted data").ExpectAsync(HttpStatusCode.NoContent);
        var invalidated = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.True(invalidated.GetProperty("invalidated").GetBoolean());
        Assert.Equal("It contains corrupted data", invalidated.GetProperty("invalidationReason").GetString());

        await curator.PatchAsync(id, "invalidated", false).ExpectAsync(HttpStatusCode.NoContent);
        var reactivated = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.False(reactivated.GetProperty("invalidated").GetBoolean());
        Assert.False(reactivated.TryGetProperty("invalidationReason", out _));
        Assert.False(reactivated.GetProperty("draft").GetBoolean());

        await curator.PatchAsync(id, "contactInfo", "Carl (carl@example.org)").ExpectAsync(HttpStatusCode.NoContent);
        await curator.PatchAsync(id, "license", new { title = "CC BY-NC 4.0", url = "https://creativecommons.org/licenses/by-nc/4.0/" }).ExpectAsync(HttpStatusCode.NoContent);

        var store = await fixture.FlushTracesAsync();
        var traces = await store.Outbox.ListAsync(new TraceListQuery(DatasetId: id, Limit: 100));
        Assert.Equal(TraceUserAction.CreateDataset, traces[0].Trace.UserAction);
        Assert.Equal(
            [TraceUpdateDetails.Release, TraceUpdateDetails.Publish, TraceUpdateDetails.Unpublish, TraceUpdateDetails.Invalidate,
             TraceUpdateDetails.Reactivate, TraceUpdateDetails.ContactInformationUpdated, TraceUpdateDetails.LicenseUpdated],
            traces.Skip(1).Select(r => Assert.IsType<UpdateDatasetTrace>(r.Trace).Details));
        Assert.All(traces, r => Assert.StartsWith(UserPseudonymizer.Prefix, r.Trace.UserId, StringComparison.Ordinal)); // pseudonyms as the service writes them now
    }

    [SkippableFact]
    public async Task Transitions_the_lifecycle_forbids_answer_409_and_change_nothing()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        using var superadmin = await fixture.ClientAsync(Personas.Superadmin);
        var id = await curator.CreateDatasetAsync(Api.Unique("Transitions"));

        // A draft cannot be published.
        await (await superadmin.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.Conflict);
        await curator.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        var before = (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText();

        // Released: no second release, no draft-only property (409); publication only by a superadmin (403).
        await (await curator.PatchAsync(id, "draft", false)).ProblemAsync(HttpStatusCode.Conflict);
        await (await curator.PatchAsync(id, "name", "Another name")).ProblemAsync(HttpStatusCode.Conflict);
        await (await curator.PatchAsync(id, "public", true)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await curator.PatchAsync(id, "invalidationReason", "why")).ProblemAsync(HttpStatusCode.Conflict);
        await (await curator.DeleteAsync($"api/datasets/{id}")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, (await curator.GetJsonAsync($"api/datasets/{id}")).GetRawText());
        var store = await fixture.FlushTracesAsync();
        var traces = await store.Outbox.ListAsync(new TraceListQuery(DatasetId: id, Limit: 100));
        Assert.Equal(2, traces.Count); // CREATE_DATASET and RELEASE only
    }

    [SkippableFact]
    public async Task A_dataset_being_created_cannot_be_released_and_its_author_may_delete_it()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var held = await curator.CreateDatasetAsync(Api.Unique(HoldingCreationQueue.HeldPrefix + "creating"));
        var details = await curator.GetJsonAsync($"api/datasets/{held}");
        Assert.True(details.GetProperty("creating").GetBoolean());
        Assert.DoesNotContain("draft", details.GetProperty("editablePropertiesByTheUser").EnumerateArray().Select(e => e.GetString()));
        var status = await curator.GetJsonAsync($"api/datasets/{held}/creationStatus");
        Assert.Equal("pending", status.GetProperty("status").GetString());

        await (await curator.PatchAsync(held, "draft", false)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.True((await curator.GetJsonAsync($"api/datasets/{held}")).GetProperty("draft").GetBoolean());

        await fixture.Creation.FinishAsync(held);
        Assert.Equal("finished", (await curator.GetJsonAsync($"api/datasets/{held}/creationStatus")).GetProperty("status").GetString());

        var other = await curator.CreateDatasetAsync(Api.Unique(HoldingCreationQueue.HeldPrefix + "deleted"));
        await curator.DeleteAsync($"api/datasets/{other}").ExpectAsync(HttpStatusCode.NoContent);
        await (await curator.GetAsync($"api/datasets/{other}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task A_new_version_released_links_the_previous_one_and_only_one_draft_may_claim_it()
    {
        fixture.Require();
        using var curator = await fixture.ClientAsync(Personas.Curator);
        var first = await curator.CreateDatasetAsync(Api.Unique("Version 1"));
        await curator.PatchAsync(first, "draft", false).ExpectAsync(HttpStatusCode.NoContent);

        var second = await curator.CreateDatasetAsync(Api.NewDataset(Api.Unique("Version 2"), previousId: first));
        var rival = await curator.CreateDatasetAsync(Api.NewDataset(Api.Unique("Version 2 rival"), previousId: first));
        await (await curator.PatchAsync(second, "draft", false)).ProblemAsync(HttpStatusCode.Conflict);
        await curator.PatchAsync(rival, "previousId", null).ExpectAsync(HttpStatusCode.NoContent);
        await curator.PatchAsync(second, "draft", false).ExpectAsync(HttpStatusCode.NoContent);

        Assert.Equal(second, (await curator.GetJsonAsync($"api/datasets/{first}")).GetProperty("nextId").GetString());
        Assert.Equal(first, (await curator.GetJsonAsync($"api/datasets/{second}")).GetProperty("previousId").GetString());
        var upgradable = await curator.GetJsonAsync("api/upgradableDatasets?project=ALPHA");
        var ids = upgradable.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Contains(second, ids);
        Assert.DoesNotContain(first, ids);
    }
}

public sealed class DatasetLifecycleOnSqliteTests(SqliteServiceFixture fixture) : DatasetLifecycleTests(fixture), IClassFixture<SqliteServiceFixture>;

public sealed class DatasetLifecycleOnPostgresTests(PostgresServiceFixture fixture) : DatasetLifecycleTests(fixture), IClassFixture<PostgresServiceFixture>;
