using System.Net;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;
using static ImagingRepo.Service.Tests.Infrastructure.Personas;

namespace ImagingRepo.Service.Tests.Security;

/// <summary>
/// Each role against each action, allowed and denied, as one table: the status every persona gets. Datasets a row
/// changes are made fresh for that row; the ones rows only read are made once per fixture.
/// </summary>
public abstract class PermissionMatrixTests(ServiceFixture fixture)
{
    /// <summary>persona, action, expected status.</summary>
    public static TheoryData<string, string, int> Matrix { get; } = new()
    {
        { Anonymous, "list datasets", 200 }, { Nobody, "list datasets", 200 }, { Reader, "list datasets", 200 },
        { Anonymous, "list projects", 200 }, { Anonymous, "list licenses", 200 },

        { Anonymous, "create in ALPHA", 401 }, { Nobody, "create in ALPHA", 403 }, { Reader, "create in ALPHA", 403 },
        { Curator, "create in ALPHA", 201 }, { Foreign, "create in ALPHA", 403 }, { Superadmin, "create in ALPHA", 201 },
        { AccessAdmin, "create in ALPHA", 403 }, { UserAdmin, "create in ALPHA", 403 }, { ProjectAdmin, "create in ALPHA", 403 },
        { AlphaManager, "create in ALPHA", 403 }, { Foreign, "create in BETA", 201 }, { Curator, "create in BETA", 403 },

        { Curator, "read the curator's draft", 200 }, { Curator2, "read the curator's draft", 404 }, { Reader, "read the curator's draft", 404 },
        { Foreign, "read the curator's draft", 404 }, { Anonymous, "read the curator's draft", 404 }, { Superadmin, "read the curator's draft", 200 },

        { Reader, "read a released ALPHA dataset", 200 }, { Curator2, "read a released ALPHA dataset", 200 }, { AlphaManager, "read a released ALPHA dataset", 200 },
        { Foreign, "read a released ALPHA dataset", 404 }, { Nobody, "read a released ALPHA dataset", 404 }, { Anonymous, "read a released ALPHA dataset", 404 },

        { Anonymous, "read a published dataset", 200 }, { Foreign, "read a published dataset", 200 }, { Nobody, "read a published dataset", 200 },

        { Curator, "rename the curator's draft", 204 }, { Superadmin, "rename the curator's draft", 204 }, { Curator2, "rename the curator's draft", 404 },
        { Reader, "rename the curator's draft", 404 }, { Anonymous, "rename the curator's draft", 401 },

        { Curator, "release the curator's draft", 204 }, { Superadmin, "release the curator's draft", 204 },

        { Curator, "change contact of a released dataset", 204 }, { Superadmin, "change contact of a released dataset", 204 },
        { Curator2, "change contact of a released dataset", 403 }, { Reader, "change contact of a released dataset", 403 },
        { Foreign, "change contact of a released dataset", 404 },

        { Superadmin, "publish a released dataset", 204 }, { Curator, "publish a released dataset", 403 }, { Reader, "publish a released dataset", 403 },

        { Curator, "delete a dataset being created", 204 }, { Superadmin, "delete a dataset being created", 204 },
        { Curator2, "delete a dataset being created", 404 }, { Anonymous, "delete a dataset being created", 401 },
        { Curator, "delete a released dataset", 409 }, { Superadmin, "delete a released dataset", 409 },

        { AccessAdmin, "read the ACL", 200 }, { Curator, "read the ACL", 200 }, { Reader, "read the ACL", 403 }, { Foreign, "read the ACL", 404 },
        { Anonymous, "read the ACL", 401 },
        { AccessAdmin, "add to the ACL", 201 }, { Reader, "add to the ACL", 403 },

        { AccessAdmin, "check access", 204 }, { Reader, "check access", 403 }, { Superadmin, "check access", 403 }, { Anonymous, "check access", 401 },
        { AccessAdmin, "open an access", 201 }, { Curator, "open an access", 403 },
        { AccessAdmin, "read the access history", 200 }, { Superadmin, "read the access history", 403 }, { Reader, "read the access history", 403 },

        { UserAdmin, "list users", 200 }, { Reader, "list users", 403 }, { Anonymous, "list users", 401 },
        { UserAdmin, "register a user", 201 }, { Superadmin, "register a user", 403 },
        { UserAdmin, "list roles", 200 }, { Curator, "list roles", 403 },

        { ProjectAdmin, "create a project", 201 }, { AlphaManager, "create a project", 403 }, { Superadmin, "create a project", 403 },
        { Anonymous, "create a project", 401 },
        { AlphaManager, "rename project ALPHA", 204 }, { ProjectAdmin, "rename project ALPHA", 204 }, { Curator, "rename project ALPHA", 403 },
        { AlphaManager, "rename project BETA", 403 },
        { AlphaManager, "read the settings of ALPHA", 200 }, { Reader, "read the settings of ALPHA", 403 },

        { Superadmin, "check integrity", 200 }, { Curator, "check integrity", 403 },
        { Curator, "list upgradable datasets", 200 }, { Reader, "list upgradable datasets", 403 }, { Anonymous, "list upgradable datasets", 401 },
    };

    [SkippableTheory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_gets_the_status_the_platform_rules_give(string persona, string action, int expected)
    {
        fixture.Require();
        var world = await fixture.SharedAsync("permission-world", () => World.MakeAsync(fixture));
        using var client = await fixture.ClientAsync(persona);
        using var curator = await fixture.ClientAsync(Curator);
        using var response = action switch
        {
            "list datasets" => await client.GetAsync("api/datasets"),
            "list projects" => await client.GetAsync("api/projects"),
            "list licenses" => await client.GetAsync("api/licenses"),
            "create in ALPHA" => await client.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset(Api.Unique("Matrix"), "ALPHA").ToJsonString()),
            "create in BETA" => await client.SendJsonAsync(HttpMethod.Post, "api/datasets", Api.NewDataset(Api.Unique("Matrix"), "BETA").ToJsonString()),
            "read the curator's draft" => await client.GetAsync($"api/datasets/{world.Draft}"),
            "read a released ALPHA dataset" => await client.GetAsync($"api/datasets/{world.Released}"),
            "read a published dataset" => await client.GetAsync($"api/datasets/{world.Published}"),
            "rename the curator's draft" => await client.PatchAsync(await curator.CreateDatasetAsync(Api.Unique("Rename")), "name", "Renamed dataset"),
            "release the curator's draft" => await client.PatchAsync(await curator.CreateDatasetAsync(Api.Unique("Release")), "draft", false),
            "change contact of a released dataset" => await client.PatchAsync(await ReleasedAsync(curator), "contactInfo", "Someone (someone@example.org)"),
            "publish a released dataset" => await client.PatchAsync(await ReleasedAsync(curator), "public", true),
            "delete a dataset being created" => await client.DeleteAsync($"api/datasets/{await curator.CreateDatasetAsync(Api.Unique(HoldingCreationQueue.HeldPrefix + "delete"))}"),
            "delete a released dataset" => await client.DeleteAsync($"api/datasets/{await ReleasedAsync(curator)}"),
            "read the ACL" => await client.GetAsync($"api/datasets/{world.Released}/acl"),
            "add to the ACL" => await client.PutAsync($"api/datasets/{world.Published}/acl/reader", null),
            "check access" => await client.SendJsonAsync(HttpMethod.Post, "api/datasetAccessCheck", new { userName = "reader", datasets = new[] { world.Released } }),
            "open an access" => await client.SendJsonAsync(HttpMethod.Post, $"api/datasetAccess/{Guid.NewGuid()}",
                new { userName = "reader", datasets = new[] { world.Released }, toolName = "desktop", toolVersion = "1.0" }),
            "read the access history" => await client.GetAsync($"api/datasets/{world.Released}/accessHistory"),
            "list users" => await client.GetAsync("api/users"),
            "register a user" => await client.SendJsonAsync(HttpMethod.Put, $"api/users/{Api.Unique("user").Replace(' ', '-')}", new { gid = -1, roles = new[] { "use_datasets" } }),
            "list roles" => await client.GetAsync("api/userRoles"),
            "create a project" => await client.SendJsonAsync(HttpMethod.Put, $"api/projects/P-{Guid.NewGuid().ToString("N")[..8]}",
                new JsonObject { ["name"] = "A project", ["shortDescription"] = "", ["projectConfig"] = new JsonObject() }.ToJsonString()),
            "rename project ALPHA" => await client.SendJsonAsync(HttpMethod.Patch, "api/projects/ALPHA", new { property = "name", value = "Project ALPHA" }),
            "rename project BETA" => await client.SendJsonAsync(HttpMethod.Patch, "api/projects/BETA", new { property = "name", value = "Project BETA" }),
            "read the settings of ALPHA" => await client.GetAsync("api/projects/ALPHA/config"),
            "check integrity" => await client.PostAsync($"api/datasets/{world.Released}/checkIntegrity", null),
            "list upgradable datasets" => await client.GetAsync("api/upgradableDatasets"),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, "no such action in the matrix"),
        };

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{persona} / {action}: expected {expected}, got {(int)response.StatusCode} {body}");
        if (expected >= 400) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> ReleasedAsync(HttpClient curator)
    {
        var id = await curator.CreateDatasetAsync(Api.Unique("Released"));
        await curator.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        return id;
    }

    /// <summary>The datasets rows only read: a draft, a released and a published dataset of the curator in ALPHA.</summary>
    private sealed record World(string Draft, string Released, string Published)
    {
        public static async Task<World> MakeAsync(ServiceFixture fixture)
        {
            using var curator = await fixture.ClientAsync(Curator);
            using var superadmin = await fixture.ClientAsync(Superadmin);
            using var reader = await fixture.ClientAsync(Reader);
            // The directory learns of the reader from their token, as Keycloak would know them.
            await reader.GetAsync("api/datasets").ExpectAsync(HttpStatusCode.OK);
            var draft = await curator.CreateDatasetAsync(Api.Unique("World draft"));
            var released = await ReleasedAsync(curator);
            var published = await ReleasedAsync(curator);
            await superadmin.PatchAsync(published, "public", true).ExpectAsync(HttpStatusCode.NoContent);
            return new World(draft, released, published);
        }
    }
}

public sealed class PermissionMatrixOnSqliteTests(SqliteServiceFixture fixture) : PermissionMatrixTests(fixture), IClassFixture<SqliteServiceFixture>;

public sealed class PermissionMatrixOnPostgresTests(PostgresServiceFixture fixture) : PermissionMatrixTests(fixture), IClassFixture<PostgresServiceFixture>;
