using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Specs;
using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Tests.Support;

/// <summary>
/// The cluster the lifecycle and provisioning tests run against: a real one when IMAGINGREPO_KUBECONFIG names a
/// kubeconfig file (kind, minikube…), otherwise the loopback <see cref="FakeKubernetesApiServer"/>. Tests that need
/// to play the kubelet (setting pod states, writing logs) only run on the fake.
/// </summary>
public sealed class KubernetesClusterFixture : IAsyncLifetime
{
    public const string KubeconfigVariable = "IMAGINGREPO_KUBECONFIG";

    public FakeKubernetesApiServer? Fake { get; private set; }

    public IKubernetes Client { get; private set; } = null!;

    public bool IsReal => Fake is null;

    public async Task InitializeAsync()
    {
        string? kubeconfig = Environment.GetEnvironmentVariable(KubeconfigVariable);
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            return;
        }

        Fake = await FakeKubernetesApiServer.StartAsync();
        Client = Fake.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (Fake is not null)
        {
            await Fake.DisposeAsync();
        }
    }

    /// <summary>Options for tests: on a real cluster images come from Docker Hub's library (busybox).</summary>
    public JobsOptions Options()
    {
        var options = new JobsOptions();
        options.Policy.AllowedRegistries.Add("docker.io/library/");
        return options;
    }

    public string Image => IsReal ? "docker.io/library/busybox:1.36" : TestData.Registry + "tools/nnunet:2.1";

    /// <summary>A user name unique to this run, so that tests on a shared real cluster do not collide.</summary>
    public static string UniqueUser(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public void RequireFake() => Skip.If(IsReal, "plays the kubelet through the fake API server's status subresource and logs");

    /// <summary>Plays the kubelet: replaces a pod's status through the /status subresource.</summary>
    public async Task SetPodStatusAsync(string ns, string pod, V1PodStatus status)
    {
        var current = await Client.CoreV1.ReadNamespacedPodAsync(pod, ns);
        current.Status = status;
        await Client.CoreV1.ReplaceNamespacedPodStatusAsync(current, pod, ns);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 60)
    {
        for (int i = 0; i < seconds * 4; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"timed out waiting for {what}");
    }
}

/// <summary>Test double of the dataset service's access check: allows a fixed set.</summary>
internal sealed class RecordingGate(params string[] allowed) : IDatasetAccessGate
{
    public int Calls { get; private set; }

    public Task<DatasetAccessDecision> CheckAsync(string user, IReadOnlyList<string> datasetIds, CancellationToken cancellationToken = default)
    {
        Calls++;
        var denied = datasetIds.Where(d => !allowed.Contains(d)).ToArray();
        return Task.FromResult(denied.Length == 0 ? DatasetAccessDecision.Allow() : DatasetAccessDecision.Deny(denied, "not in any of the user's projects"));
    }
}

/// <summary>Test double of the access recorder and trace sink: keeps what it is given, or fails when told to.</summary>
internal sealed class RecordingSinks : IDatasetAccessRecorder, IDatasetUseTraceSink
{
    public List<DatasetAccessRecord> Accesses { get; } = [];

    public List<UseDatasetsTrace> Traces { get; } = [];

    public bool FailTraces { get; set; }

    public Task RecordAccessAsync(DatasetAccessRecord record, CancellationToken cancellationToken = default)
    {
        lock (Accesses) Accesses.Add(record);
        return Task.CompletedTask;
    }

    public Task RecordUseDatasetsAsync(UseDatasetsTrace trace, CancellationToken cancellationToken = default)
    {
        if (FailTraces)
        {
            throw new IOException("tracer unavailable");
        }

        lock (Traces) Traces.Add(trace);
        return Task.CompletedTask;
    }
}
