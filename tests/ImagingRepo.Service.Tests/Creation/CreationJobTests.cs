using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.Service.Creation;
using ImagingRepo.Service.Creation.KubernetesJob;
using ImagingRepo.Service.Creation.Operations;
using ImagingRepo.Service.Tests.Infrastructure;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Outbox;
using k8s;
using k8s.Models;

namespace ImagingRepo.Service.Tests.Creation;

/// <summary>
/// Dataset creation as a Kubernetes Job: the manifest (least privilege, the platform policies of ImagingRepo.Jobs), and
/// the whole path with the real service process against the fake Kubernetes API server, the test playing the kubelet
/// by running the Job's container command.
/// </summary>
public sealed class CreationJobTests(CreationLake lake) : IClassFixture<CreationLake>
{
    private const string Namespace = "imagingrepo";
    private const string Image = "harbor.chaimeleon-eu.i3m.upv.es/imagingrepo/service:0.1.0";

    private static CreationJobOptions Options() => new()
    {
        Enabled = true,
        Namespace = Namespace,
        Image = Image,
        DataLakeClaim = "datalake",
        DatasetsClaim = "datasets",
        ConfigMap = "imagingrepo-service",
        Secret = "imagingrepo-service",
        RunAsUser = 1000,
        RunAsGroup = 1000,
        DataLakeGroup = 3000,
    };

    [Fact]
    public void The_creation_Job_holds_only_what_a_creation_needs_and_passes_the_platform_policies()
    {
        var options = Options();
        var job = CreationJobManifest.Render(options);

        Assert.Empty(CreationJobManifest.Check(job, options));
        Assert.Equal(("dataset-creation-", Namespace), (job.Metadata.GenerateName, job.Metadata.NamespaceProperty));
        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.False(pod.AutomountServiceAccountToken); // a creation calls no Kubernetes API
        Assert.Null(pod.HostNetwork);
        Assert.Equal((true, 1000L, 1000L, "RuntimeDefault"), (pod.SecurityContext.RunAsNonRoot!.Value, pod.SecurityContext.RunAsUser!.Value,
            pod.SecurityContext.RunAsGroup!.Value, pod.SecurityContext.SeccompProfile.Type));
        Assert.Equal([3000L], pod.SecurityContext.SupplementalGroups);

        var container = Assert.Single(pod.Containers);
        Assert.Equal((Image, CreationJobManifest.Command), (container.Image, Assert.Single(container.Args)));
        Assert.Equal((false, false, true, true), (container.SecurityContext.AllowPrivilegeEscalation!.Value, container.SecurityContext.Privileged!.Value,
            container.SecurityContext.ReadOnlyRootFilesystem!.Value, container.SecurityContext.RunAsNonRoot!.Value));
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Null(container.SecurityContext.Capabilities.Add);
        Assert.Equal(["cpu", "memory"], container.Resources.Limits.Keys.Order());

        // the lake read-only on both sides, the dataset folders writable, a scratch /tmp; nothing from the host
        var mounts = container.VolumeMounts.ToDictionary(m => m.Name);
        Assert.True(mounts["datalake"].ReadOnlyProperty);
        Assert.Null(mounts["datasets"].ReadOnlyProperty);
        var volumes = pod.Volumes.ToDictionary(v => v.Name);
        Assert.Equal(["datalake", "datasets", "tmp"], volumes.Keys.Order());
        Assert.True(volumes["datalake"].PersistentVolumeClaim.ReadOnlyProperty);
        Assert.All(volumes.Values, v => Assert.Null(v.HostPath));
        Assert.Equal(["imagingrepo-service", "imagingrepo-service"],
            container.EnvFrom.Select(e => e.ConfigMapRef?.Name ?? e.SecretRef?.Name));
    }

    [Fact]
    public void An_image_from_another_registry_is_refused_by_the_platform_policies()
    {
        var options = Options();
        options.Image = "docker.io/someone/imagingrepo:latest";

        var violations = CreationJobManifest.Check(CreationJobManifest.Render(options), options);

        Assert.Contains(violations, v => v.Rule == "restrict-image-registries");
    }

    [Fact]
    public async Task A_creation_queued_by_the_service_is_run_by_the_Job_it_starts_and_finishes_with_one_trace()
    {
        await using var cluster = await FakeKubernetesApiServer.StartAsync(new FakeKubernetesApiServerOptions { SimulateJobController = false });
        using (var admin = cluster.CreateClient())
        {
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        }

        var data = lake.NewFolder("job-data");
        var settings = new Dictionary<string, string>
        {
            ["ImagingRepo:Creation:DataLakePath"] = lake.LakePath,
            ["ImagingRepo:Creation:Job:Enabled"] = "true",
            ["ImagingRepo:Creation:Job:ApiServer"] = cluster.BaseAddress.ToString().TrimEnd('/'),
            ["ImagingRepo:Creation:Job:Namespace"] = Namespace,
            ["ImagingRepo:Creation:Job:Image"] = Image,
            ["ImagingRepo:Creation:Job:DataLakeClaim"] = "datalake",
            ["ImagingRepo:Creation:Job:DatasetsClaim"] = "datasets",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        await using var service = await ServiceProcess.StartAsync(data, settings);
        using (var projects = service.Client("job-admin", "admin_projects"))
        {
            await projects.SendJsonAsync(HttpMethod.Put, "api/projects/JOBS", new JsonObject
            {
                ["name"] = "Jobs",
                ["shortDescription"] = "Creation Job tests.",
                ["projectConfig"] = new JsonObject
                {
                    ["defaultContactInfo"] = "contact@jobs.example",
                    ["defaultLicense"] = new JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
                },
            }.ToJsonString()).ExpectAsync(HttpStatusCode.Created);
        }

        using var curator = service.Client("job-curator", "admin_datasets", "PROJECT-JOBS");
        using var created = await curator.SendJsonAsync(HttpMethod.Post, "api/datasets", NewDataset(lake.Request()).ToJsonString());
        await created.JsonAsync(HttpStatusCode.Created);
        var id = created.Headers.Location!.OriginalString.Split('/')[^1];

        // queued, not run: the service started a Job instead
        var operations = new SqliteDatasetCreationStore(Path.Combine(data, "creation.db"), TimeProvider.System);
        Assert.Equal((DatasetCreationStatus.Pending, 0), await operations.GetAsync(id) is { } queued ? (queued.Status, queued.Attempts) : default);
        var job = KubernetesJson.Deserialize<V1Job>(Assert.Single(cluster.Objects("jobs", Namespace)).ToJsonString());
        Assert.StartsWith("dataset-creation-", job.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal("pending", (await curator.GetJsonAsync($"api/datasets/{id}/creationStatus")).GetProperty("status").GetString());

        // the kubelet: the Job's container command with its environment, its volumes where this machine has them, and
        // what the ConfigMap and Secret would give it (the service's data directory)
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        var mounts = container.VolumeMounts.ToDictionary(m => m.Name, m => m.MountPath);
        var environment = container.Env.ToDictionary(e => e.Name, e => e.Value
            .Replace(mounts["datalake"], lake.LakePath, StringComparison.Ordinal)
            .Replace(mounts["datasets"], Path.Combine(data, "datasets"), StringComparison.Ordinal));
        environment["ImagingRepo__Service__DataDirectory"] = data;
        var (exitCode, output) = await ServiceProcess.RunOnceAsync(data, container.Args, environment);

        Assert.True(exitCode == 0, output);
        Assert.Contains("1 operations run, none left", output, StringComparison.Ordinal);
        var status = await curator.GetJsonAsync($"api/datasets/{id}/creationStatus");
        Assert.Equal("finished", status.GetProperty("status").GetString());
        var dataset = await curator.GetJsonAsync($"api/datasets/{id}");
        Assert.Equal(4, dataset.GetProperty("studiesCount").GetInt32());
        Assert.True(File.Exists(Path.Combine(data, "datasets", id, "index.json")));
        Assert.Equal((DatasetCreationStatus.Finished, 1), await operations.GetAsync(id) is { } done ? (done.Status, done.Attempts) : default);
        await using var traces = await new TraceStoreBuilder().UseSqliteOutbox(Path.Combine(data, "traces.db")).BuildAsync();
        var trace = Assert.Single(await traces.Outbox.ListAsync(new TraceListQuery(DatasetId: id, Action: TraceUserAction.CreateDataset)));
        Assert.Equal((await operations.GetAsync(id))!.TraceId, trace.Trace.Id);
    }

    /// <summary>The body of <c>POST /api/datasets</c> for <paramref name="request"/>'s studies and eForms in project <paramref name="project"/>.</summary>
    internal static JsonObject NewDataset(DatasetCreationRequest request, string project = "JOBS") => new()
    {
        ["name"] = "Job dataset",
        ["version"] = "1",
        ["project"] = project,
        ["description"] = "Created by a Job.",
        ["type"] = new JsonArray("original"),
        ["collectionMethod"] = new JsonArray("cohort"),
        ["studies"] = new JsonArray([.. request.Studies.Select(s => (JsonNode)new JsonObject
        {
            ["studyId"] = s.StudyId,
            ["studyName"] = s.StudyName,
            ["subjectName"] = s.SubjectName,
            ["pathInDatalake"] = s.PathInDatalake,
            ["series"] = new JsonArray([.. s.Series.Select(r => (JsonNode)new JsonObject { ["folderName"] = r.FolderName, ["tags"] = new JsonArray([.. r.Tags.Select(t => (JsonNode)t)]) })]),
            ["url"] = s.Url,
        })]),
        ["subjects"] = new JsonArray([.. request.Studies.Select(s => s.SubjectName).Distinct().Select(name =>
        {
            var subject = new JsonObject { ["subjectName"] = name, ["subjectId"] = "id-" + name };
            if (request.Subjects.FirstOrDefault(e => e.SubjectName == name) is { } form) subject["eForm"] = JsonNode.Parse(form.EForm.GetRawText());
            return (JsonNode)subject;
        })]),
    };
}
