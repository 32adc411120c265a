using System.Net;
using System.Net.Http.Headers;
using ImagingRepo.Jobs.FakeApiServer;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Fakes;

/// <summary>The fake behaves like the API server where the library depends on it.</summary>
public sealed class FakeKubernetesApiServerTests : IAsyncLifetime
{
    private FakeKubernetesApiServer _fake = null!;
    private Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKubernetesApiServer.StartAsync();
        _client = _fake.CreateClient();
        await _client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "ns" } });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _fake.DisposeAsync();
    }

    private static V1ConfigMap Map(string name, string app = "a") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    private static async Task<HttpStatusCode> StatusOf(Func<Task> call) =>
        (await Assert.ThrowsAsync<HttpOperationException>(call)).Response.StatusCode;

    [Fact]
    public void It_listens_on_loopback_only() => Assert.Equal("127.0.0.1", _fake.BaseAddress.Host);

    [Fact]
    public async Task Create_get_and_the_error_codes_of_the_api_server()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("one"), "ns");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.False(string.IsNullOrEmpty(created.Metadata.ResourceVersion));
        Assert.Equal(HttpStatusCode.Conflict, await StatusOf(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Map("one"), "ns")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => _client.CoreV1.ReadNamespacedConfigMapAsync("missing", "ns")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Map("x"), "no-such-namespace")));
        Assert.Equal((HttpStatusCode)422, await StatusOf(() => _client.CoreV1.CreateNamespacedConfigMapAsync(Map("Bad_Name"), "ns")));
        Assert.Equal("v", (await _client.CoreV1.ReadNamespacedConfigMapAsync("one", "ns")).Data["k"]);
    }

    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_a_conflict()
    {
        var created = await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("rv"), "ns");
        created.Data["k"] = "v2";
        var updated = await _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "rv", "ns");
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);

        created.Data["k"] = "stale";
        Assert.Equal(HttpStatusCode.Conflict, await StatusOf(() => _client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "rv", "ns")));
        Assert.Equal("v2", (await _client.CoreV1.ReadNamespacedConfigMapAsync("rv", "ns")).Data["k"]);
    }

    [Fact]
    public async Task Lists_filter_by_label_and_field_selectors()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("l1", "x"), "ns");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("l2", "y"), "ns");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("l3", "y"), "ns");
        Assert.Equal(["l2", "l3"], (await _client.CoreV1.ListNamespacedConfigMapAsync("ns", labelSelector: "app=y")).Items.Select(m => m.Metadata.Name));
        Assert.Equal(["l1"], (await _client.CoreV1.ListNamespacedConfigMapAsync("ns", labelSelector: "app in (x,z)")).Items.Select(m => m.Metadata.Name));
        Assert.Equal(["l3"], (await _client.CoreV1.ListNamespacedConfigMapAsync("ns", labelSelector: "app!=x", fieldSelector: "metadata.name=l3")).Items.Select(m => m.Metadata.Name));
        Assert.Equal(3, (await _client.CoreV1.ListConfigMapForAllNamespacesAsync(labelSelector: "app")).Items.Count);
        Assert.Equal(HttpStatusCode.BadRequest, await StatusOf(() => _client.CoreV1.ListNamespacedConfigMapAsync("ns", fieldSelector: "data.k=v")));
    }

    [Fact]
    public async Task Watches_stream_existing_objects_then_changes()
    {
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("w1"), "ns");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var events = new List<(WatchEventType, string)>();
        var reader = Task.Run(async () =>
        {
            await foreach (var (type, map) in _client.CoreV1.WatchListNamespacedConfigMapAsync("ns", labelSelector: "app=a", cancellationToken: cts.Token))
            {
                lock (events) events.Add((type, map.Metadata.Name));
                if (type == WatchEventType.Deleted) break;
            }
        });

        await Task.Delay(300);
        var w2 = await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("w2"), "ns");
        await _client.CoreV1.CreateNamespacedConfigMapAsync(Map("other", "b"), "ns");
        w2.Data["k"] = "changed";
        await _client.CoreV1.ReplaceNamespacedConfigMapAsync(w2, "w2", "ns");
        await _client.CoreV1.DeleteNamespacedConfigMapAsync("w2", "ns");
        await reader.WaitAsync(cts.Token);
        Assert.Equal([(WatchEventType.Added, "w1"), (WatchEventType.Added, "w2"), (WatchEventType.Modified, "w2"), (WatchEventType.Deleted, "w2")], events);
    }

    [Fact]
    public async Task Deleting_a_job_orphans_its_pods_by_default_and_cascades_when_asked()
    {
        V1Job Job(string name) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "i" }] } } },
        };

        await _client.BatchV1.CreateNamespacedJobAsync(Job("orphan"), "ns");
        await _client.BatchV1.CreateNamespacedJobAsync(Job("cascade"), "ns");
        Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("ns", labelSelector: "job-name=orphan")).Items);

        await _client.BatchV1.DeleteNamespacedJobAsync("orphan", "ns");
        var orphaned = Assert.Single((await _client.CoreV1.ListNamespacedPodAsync("ns", labelSelector: "job-name=orphan")).Items);
        Assert.Empty(orphaned.Metadata.OwnerReferences ?? []);

        await _client.BatchV1.DeleteNamespacedJobAsync("cascade", "ns", new V1DeleteOptions { PropagationPolicy = "Background" });
        Assert.Empty((await _client.CoreV1.ListNamespacedPodAsync("ns", labelSelector: "job-name=cascade")).Items);
        Assert.Equal(HttpStatusCode.NotFound, await StatusOf(() => _client.BatchV1.DeleteNamespacedJobAsync("cascade", "ns")));
    }

    [Fact]
    public async Task Status_is_a_subresource()
    {
        var job = await _client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "s" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "i" }] } } },
        }, "ns");
        job = await _client.BatchV1.ReadNamespacedJobAsync("s", "ns");
        job.Status.Succeeded = 99;
        job.Metadata.Labels = new Dictionary<string, string> { ["l"] = "1" };
        var replaced = await _client.BatchV1.ReplaceNamespacedJobAsync(job, "s", "ns");
        Assert.NotEqual(99, replaced.Status.Succeeded);
        replaced.Status.Succeeded = 99;
        Assert.Equal(99, (await _client.BatchV1.ReplaceNamespacedJobStatusAsync(replaced, "s", "ns")).Status.Succeeded);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_get_api_errors()
    {
        using var http = new HttpClient { BaseAddress = _fake.BaseAddress };
        var response = await http.GetAsync("apis/example.org/v1/widgets");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"kind\":\"Status\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var patch = new HttpRequestMessage(HttpMethod.Patch, "api/v1/namespaces/ns/configmaps/x") { Content = new StringContent("{}") };
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.SendAsync(patch)).StatusCode);
    }
}
