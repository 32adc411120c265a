using System.Net;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// The real service process with its lake chosen by configuration — the folder, or the Ceph RGW bucket the Client
/// uploaded the same lake to (the secret key from the environment) — creating datasets through the API: selected series
/// missing from the lake are pruned, a study missing from it fails the creation with its name and leaves a draft.
/// </summary>
public sealed class ServiceLakeTests(CreationLake lake, CephLakeCopy ceph) : IClassFixture<CreationLake>, IClassFixture<CephLakeCopy>
{
    [SkippableTheory]
    [InlineData(LakeKind.Folder)]
    [InlineData(LakeKind.Ceph)]
    public async Task Datasets_are_created_through_the_API_from_the_configured_lake(LakeKind kind)
    {
        var settings = new Dictionary<string, string>
        {
            ["ImagingRepo:Creation:DataLakePath"] = lake.LakePath,
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        var environment = new Dictionary<string, string>();
        if (kind == LakeKind.Ceph)
        {
            await ceph.UploadOnceAsync(lake);
            var s3 = ceph.Options;
            settings["ImagingRepo:Creation:DataLakeKind"] = "S3";
            settings["ImagingRepo:Creation:S3:ServiceUrl"] = s3.ServiceUrl!.ToString();
            settings["ImagingRepo:Creation:S3:Bucket"] = s3.Bucket!;
            settings["ImagingRepo:Creation:S3:KeyPrefix"] = s3.KeyPrefix;
            environment["ImagingRepo__Creation__S3__AccessKey"] = s3.AccessKey!;
            environment["ImagingRepo__Creation__S3__SecretKey"] = s3.SecretKey!;
        }

        var data = lake.NewFolder("service-" + kind);
        await using var service = await ServiceProcess.StartAsync(data, settings, environment);
        using (var projects = service.Client("lake-admin", "admin_projects"))
        {
            await projects.SendJsonAsync(HttpMethod.Put, "api/projects/LAKE", new JsonObject
            {
                ["name"] = "Lake",
                ["shortDescription"] = "Creation from the configured lake.",
                ["projectConfig"] = new JsonObject
                {
                    ["defaultContactInfo"] = "contact@lake.example",
                    ["defaultLicense"] = new JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
                },
            }.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        }

        using var curator = service.Client("lake-curator", "admin_datasets", "PROJECT-LAKE");

        // every study, with a selected series the lake lacks
        var request = lake.Request(null, "A2");
        var id = await PostAsync(curator, CreationJobTests.NewDataset(request, "LAKE"));
        var (status, message) = await WaitForEndAsync(service, curator, id);
        Assert.True(status == "finished", message);
        var dataset = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.Equal(4, dataset.GetProperty("studiesCount").GetInt32());
        Assert.Equal(3, dataset.GetProperty("subjectsCount").GetInt32());
        var folder = Path.Combine(data, "datasets", id);
        Assert.DoesNotContain("2.25.999", await File.ReadAllTextAsync(Path.Combine(folder, "index.json")), StringComparison.Ordinal);
        var first = request.Studies[0];
        Assert.Equal(Path.Combine(lake.LakePath, first.PathInDatalake),
            new DirectoryInfo(Path.Combine(folder, first.SubjectName, Path.GetFileName(first.PathInDatalake))).LinkTarget);

        // a study that is not in the lake
        var ghost = lake.Request();
        ghost = ghost with { Studies = [.. ghost.Studies, ghost.Studies[0] with { StudyId = "ghost", PathInDatalake = "nobody/nothing/here" }] };
        var failed = await PostAsync(curator, CreationJobTests.NewDataset(ghost, "LAKE"));
        var (failedStatus, failedMessage) = await WaitForEndAsync(service, curator, failed);
        Assert.Equal("error", failedStatus);
        Assert.Contains("1 of 5 studies are not in the data lake: \"ghost\" (nobody/nothing/here)", failedMessage, StringComparison.Ordinal);
        Assert.True((await curator.GetJsonAsync($"api/datasets/{failed}")).GetProperty("draft").GetBoolean());
        Assert.False(Directory.Exists(Path.Combine(data, "datasets", failed)));
    }

    private static async Task<string> PostAsync(HttpClient curator, JsonObject body)
    {
        using var created = await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", body.ToJsonString());
        await created.JsonAsync(HttpStatusCode.Created);
        return created.Headers.Location!.OriginalString.Split('/')[^1];
    }

    private static async Task<(string Status, string Message)> WaitForEndAsync(ServiceProcess service, HttpClient client, string id)
    {
        var deadline = TimeProvider.System.GetUtcNow() + TimeSpan.FromMinutes(2);
        (string Status, string Message) current = default;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            var status = await client.GetJsonAsync($"api/datasets/{id}/creationStatus");
            current = (status.GetProperty("status").GetString()!, status.GetProperty("lastMessage").GetString() ?? "");
            if (current.Status is "finished" or "error") return current;
            await Task.Delay(50);
        }

        await service.KillAsync();
        Assert.Fail($"creation status still {current} after 2 minutes; the service said:\n{await service.OutputAsync()}");
        return current;
    }
}
