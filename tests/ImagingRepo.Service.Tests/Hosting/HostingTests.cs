using System.Net;
using ImagingRepo.Service.Tests.Infrastructure;

namespace ImagingRepo.Service.Tests.Hosting;

/// <summary>
/// The service as a process sees it, in its development mode on SQLite over real HTTP: health and version, problem
/// details for unknown routes, the development headers naming the caller, CORS for the Dataset Explorer, entity tags.
/// </summary>
public sealed class HostingTests(DevelopmentServiceFixture fixture) : IClassFixture<DevelopmentServiceFixture>
{
    [SkippableFact]
    public async Task It_answers_its_health_readiness_and_version()
    {
        fixture.Require();
        using var client = fixture.Client(null);
        Assert.Equal("ok", await client.GetStringAsync("health"));
        Assert.Equal("ok", await client.GetStringAsync("healthz"));
        Assert.Equal("ready", await client.GetStringAsync("ready"));
        Assert.Equal("ok", await client.GetStringAsync("api/health"));
        Assert.Matches(@"^\d+\.\d+\.\d+", await client.GetStringAsync("api/version"));
        Assert.StartsWith("ImagingRepo dataset service", await client.GetStringAsync("api/"), StringComparison.Ordinal);
        Assert.Equal(["datasets", "projects", "licenses"], (await client.GetJsonAsync("api/index")).EnumerateArray().Select(e => e.GetString()));
    }

    [SkippableFact]
    public async Task Unknown_routes_and_verbs_are_problems()
    {
        fixture.Require();
        using var client = fixture.Client(null);
        await (await client.GetAsync("api/no-such-endpoint")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync("api/licenses")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [SkippableFact]
    public async Task In_development_mode_the_headers_name_the_caller_and_their_roles()
    {
        fixture.Require();
        using var admin = fixture.Client("dev-admin", "admin_projects,superadmin_datasets", "PROJECT-DEV");
        var project = new System.Text.Json.Nodes.JsonObject { ["name"] = "Development", ["shortDescription"] = "", ["projectConfig"] = new System.Text.Json.Nodes.JsonObject() };
        await admin.SendJsonAsync(HttpMethod.Put, "api/projects/DEV", project.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        var id = await admin.CreateDatasetAsync(Api.NewDataset(Api.Unique("Development"), "DEV"));
        var dataset = await admin.GetJsonAsync($"api/datasets/{id}");
        Assert.Equal("dev-admin", dataset.GetProperty("authorId").GetString());
        Assert.Contains("checkIntegrity", dataset.GetProperty("allowedActionsForTheUser").EnumerateArray().Select(e => e.GetString()));

        using var stranger = fixture.Client("stranger", "use_datasets");
        await (await stranger.GetAsync($"api/datasets/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        using var anonymous = fixture.Client(null);
        await (await anonymous.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset("Anonymous", "DEV").ToJsonString())).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task A_project_put_without_its_settings_starts_without_defaults_and_a_replacement_keeps_them()
    {
        fixture.Require();
        using var admin = fixture.Client("settings-admin", "admin_projects");
        var bare = new System.Text.Json.Nodes.JsonObject { ["name"] = "No settings", ["shortDescription"] = "" };
        await admin.SendJsonAsync(HttpMethod.Put, "api/projects/BARE", bare.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        var config = await admin.GetJsonAsync("api/projects/BARE/config");
        var contact = config.GetProperty("defaultContactInfo");
        Assert.True(contact.ValueKind == System.Text.Json.JsonValueKind.Null || contact.GetString() == "", contact.ToString());

        var settings = new System.Text.Json.Nodes.JsonObject { ["defaultContactInfo"] = "contact@bare.example" };
        var withSettings = new System.Text.Json.Nodes.JsonObject { ["name"] = "No settings", ["shortDescription"] = "", ["projectConfig"] = settings };
        using (var replaced = await admin.SendJsonAsync(HttpMethod.Put, "api/projects/BARE", withSettings.ToJsonString()))
        {
            Assert.True(replaced.IsSuccessStatusCode, await replaced.Content.ReadAsStringAsync());
        }

        bare["name"] = "Renamed, settings kept";
        using (var renamed = await admin.SendJsonAsync(HttpMethod.Put, "api/projects/BARE", bare.ToJsonString()))
        {
            Assert.True(renamed.IsSuccessStatusCode, await renamed.Content.ReadAsStringAsync());
        }

        Assert.Equal("contact@bare.example", (await admin.GetJsonAsync("api/projects/BARE/config")).GetProperty("defaultContactInfo").GetString());
        Assert.Equal("Renamed, settings kept", (await admin.GetJsonAsync("api/projects/BARE")).GetProperty("name").GetString());
    }

    [SkippableFact]
    public async Task A_browser_on_the_configured_origin_may_call_the_api_and_others_may_not()
    {
        fixture.Require();
        using var client = fixture.Client(null);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/datasets");
        preflight.Headers.Add("Origin", "http://explorer.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var allowed = await client.SendAsync(preflight);
        Assert.Equal("http://explorer.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/projects");
        request.Headers.Add("Origin", "http://elsewhere.example");
        using var refused = await client.SendAsync(request);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [SkippableFact]
    public async Task A_dataset_read_again_unchanged_answers_304_to_its_entity_tag()
    {
        fixture.Require();
        using var admin = fixture.Client("etag-admin", "admin_projects,superadmin_datasets");
        var project = new System.Text.Json.Nodes.JsonObject { ["name"] = "Entity tags", ["shortDescription"] = "", ["projectConfig"] = new System.Text.Json.Nodes.JsonObject() };
        await admin.SendJsonAsync(HttpMethod.Put, "api/projects/ETAG", project.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        var id = await admin.CreateDatasetAsync(Api.NewDataset(Api.Unique("ETag"), "ETAG"));
        using var first = await admin.GetAsync($"api/datasets/{id}");
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, $"api/datasets/{id}");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await admin.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        await admin.PatchAsync(id, "name", "A new name").ExpectAsync(HttpStatusCode.NoContent);
        using var changed = new HttpRequestMessage(HttpMethod.Get, $"api/datasets/{id}");
        changed.Headers.IfNoneMatch.Add(etag);
        using var modified = await admin.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, modified.StatusCode);
        Assert.NotEqual(etag, modified.Headers.ETag);
    }
}
