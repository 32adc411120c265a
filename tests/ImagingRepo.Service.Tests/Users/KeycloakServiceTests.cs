using System.Net;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImagingRepo.Service.Tests.Users;

/// <summary>The service configured with the Keycloak directory, driven through its HTTP API (development mode: headers name the caller).</summary>
public sealed class KeycloakServiceTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "imagingrepo-keycloak-service-tests", Guid.NewGuid().ToString("N"));
    private KeycloakStandIn _keycloak = null!;
    private WebApplication _app = null!;
    private Uri _baseAddress = null!;

    public async Task InitializeAsync()
    {
        _keycloak = await KeycloakStandIn.StartAsync();
        var settings = KeycloakIdentityDirectoryTests.Settings(_keycloak);
        settings["urls"] = "http://127.0.0.1:0";
        settings["ImagingRepo:Service:DataDirectory"] = _dataDirectory;
        settings["ImagingRepo:Service:Authentication:Mode"] = "Development";
        settings["Logging:LogLevel:Default"] = "Warning";
        _app = ServiceApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(settings));
        await ServiceApplication.InitializeAsync(_app);
        await _app.StartAsync();
        _baseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _keycloak.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataDirectory)) Directory.Delete(_dataDirectory, recursive: true);
    }

    private HttpClient Client(string user, string roles)
    {
        var client = new HttpClient { BaseAddress = _baseAddress };
        client.DefaultRequestHeaders.Add("X-ImagingRepo-User", user);
        client.DefaultRequestHeaders.Add("X-ImagingRepo-Roles", roles);
        return client;
    }

    [Fact]
    public async Task Projects_and_users_endpoints_administer_Keycloak()
    {
        using var admin = Client("root", "admin_projects,admin_users,use_datasets");
        var lena = _keycloak.AddUser("lena", attributes: new() { ["orcid"] = ["0000-0003"] }, roles: ["use_datasets"]);

        using (var created = await admin.SendJsonAsync(HttpMethod.Put, "api/projects/GAMMA",
                   new JsonObject { ["name"] = "Project GAMMA", ["shortDescription"] = "A project whose groups live in Keycloak." }.ToJsonString()))
        {
            await created.JsonAsync(HttpStatusCode.Created);
        }

        Assert.Equal(["ADMINS-PROJECT-GAMMA", "PROJECT-GAMMA"], _keycloak.GroupNames());

        using (var saved = await admin.SendJsonAsync(HttpMethod.Put, "api/users/lena", """{"gid": -1, "projects": ["GAMMA"]}"""))
        {
            await saved.JsonAsync(HttpStatusCode.Created);
        }

        Assert.Equal(["PROJECT-GAMMA"], _keycloak.GroupsOf(lena));
        Assert.Equal(["2000"], _keycloak.AttributesOf(lena)["gid"]);

        var details = await admin.GetJsonAsync("api/users/lena?scope=all");
        Assert.Equal(2000, details.GetProperty("gid").GetInt32());
        Assert.Equal(lena, details.GetProperty("uid").GetString());
        Assert.Equal(["GAMMA"], details.GetProperty("projects").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["use_datasets"], details.GetProperty("roles").EnumerateArray().Select(p => p.GetString()));

        var list = await admin.GetJsonAsync("api/users?searchString=len&limit=10");
        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(2000, list.GetProperty("list")[0].GetProperty("gid").GetInt32());

        using (var unknown = await admin.SendJsonAsync(HttpMethod.Put, "api/users/nobody", """{"gid": -1}"""))
        {
            await unknown.ProblemAsync(HttpStatusCode.NotFound);
        }

        _keycloak.FailWith = 500;
        using (var failing = await admin.GetAsync("api/users/lena?scope=all"))
        {
            var detail = await failing.ProblemAsync(HttpStatusCode.BadGateway);
            Assert.Contains("identity directory", detail, StringComparison.Ordinal);
        }

        Assert.Empty(_keycloak.Violations);
    }
}
