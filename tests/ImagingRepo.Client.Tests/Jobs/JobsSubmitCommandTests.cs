using System.Diagnostics;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Tests.Datasets;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.TestSupport;
using k8s;

namespace ImagingRepo.Client.Tests.Jobs;

/// <summary>
/// <c>imagingrepo jobs submit -d DATASET --service URL</c> run as a process, as an operator runs it: the fake Kubernetes
/// API server takes the Job, the reference service checks the access and records it with its USE_DATASETS trace.
/// </summary>
[Collection(ReferenceServiceCollection.Name)]
public sealed class JobsSubmitCommandTests(ReferenceService service) : IAsyncLifetime
{
    private const string Image = "harbor.chaimeleon-eu.i3m.upv.es/tools/nnunet:2.1";
    private readonly string _kubeconfig = Path.Combine(Path.GetTempPath(), $"imagingrepo-client-kubeconfig-{Guid.NewGuid():N}.yaml");
    private FakeKubernetesApiServer _cluster = null!;

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    public async Task InitializeAsync()
    {
        _cluster = await FakeKubernetesApiServer.StartAsync();
        await File.WriteAllTextAsync(_kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {{_cluster.BaseAddress.ToString().TrimEnd('/')}}
            users:
            - name: operator
              user:
                token: not-checked-by-the-fake
            contexts:
            - name: fake
              context:
                cluster: fake
                user: operator
            current-context: fake
            """);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await _cluster.DisposeAsync();
    }

    [SkippableFact]
    public async Task Submit_with_a_dataset_is_checked_recorded_and_traced_by_the_service()
    {
        service.Require();
        using var curator = service.ClientOf("persona-curator");
        using var operatorClient = service.ClientOf("persona-access-admin");
        var usable = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("cli allowed"), studies: 1));
        await usable.WaitForCompletionAsync();
        await curator.Datasets.ReleaseAsync(usable.Id);
        var draft = await curator.Datasets.StartCreateDatasetAsync(DatasetsClientTests.NewDataset(DatasetsClientTests.Unique("cli refused"), studies: 1));
        await draft.WaitForCompletionAsync();
        Assert.Equal(0, (await RunAsync("workspace", "create", "reader", "--dataset-gid", "2042", "--kubeconfig", _kubeconfig)).Exit);

        var (exit, output, error) = await RunAsync("jobs", "submit", "-i", Image, "-n", "seg", "-d", usable.Id, "--kubeconfig", _kubeconfig, "--user", "reader",
            "--service", service.Api.AbsoluteUri, "--", "python", "run.py");
        var (refusedExit, _, refusedError) = await RunAsync("jobs", "submit", "-i", Image, "-n", "peek", "-d", draft.Id, "--kubeconfig", _kubeconfig,
            "--user", "reader", "--service", service.Api.AbsoluteUri);

        Assert.True(exit == 0, error);
        Assert.Contains("batch seg submitted to user-reader", output, StringComparison.Ordinal);
        var history = new List<DatasetAccess>();
        await foreach (var access in operatorClient.Access.GetAccessHistoryAsync(usable.Id)) history.Add(access);
        Assert.Equal("seg", Assert.Single(history).InstanceName);

        Assert.Equal(2, refusedExit);
        Assert.Contains($"access denied to {draft.Id}", refusedError, StringComparison.Ordinal);
        using var kubernetes = _cluster.CreateClient();
        Assert.Equal(["seg"], (await kubernetes.BatchV1.ListNamespacedJobAsync("user-reader")).Items.Select(j => j.Metadata.Name));
    }

    [SkippableFact]
    public async Task Submit_names_the_service_setting_that_is_wrong()
    {
        service.Require();
        // Client credentials without an authority or a client id.
        var (exit, _, error) = await RunAsync(new Dictionary<string, string> { ["IMAGINGREPO_SIGNIN__FLOW"] = "ClientCredentials" },
            "jobs", "submit", "-i", Image, "-d", "any", "--user", "reader", "--dataset-gid", "2042", "--kubeconfig", _kubeconfig,
            "--service", service.Api.AbsoluteUri, "--", "true");
        var (badUrlExit, _, badUrlError) = await RunAsync("jobs", "submit", "-i", Image, "-d", "any", "--user", "reader", "--dataset-gid", "2042",
            "--kubeconfig", _kubeconfig, "--service", "dataset-service", "--", "true");

        Assert.Equal(2, exit);
        Assert.Contains("--service: the dataset service settings", error, StringComparison.Ordinal);
        Assert.Equal(2, badUrlExit);
        Assert.Contains("'dataset-service' is not an http(s) URL", badUrlError, StringComparison.Ordinal);
    }

    /// <summary>Runs the CLI signed in as the operator's account: a confidential client whose tokens carry admin_datasetAccess.</summary>
    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>
    {
        ["IMAGINGREPO_SIGNIN__FLOW"] = "ClientCredentials",
        ["IMAGINGREPO_SIGNIN__AUTHORITY"] = service.Oidc.Issuer,
        ["IMAGINGREPO_SIGNIN__CLIENTID"] = "persona-access-admin",
        ["IMAGINGREPO_SIGNIN__CLIENTSECRET"] = service.Oidc.ClientSecret,
        ["IMAGINGREPO_SIGNIN__RESOURCE"] = ReferenceService.Audience,
    }, args);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var cli = Path.Combine(TestEnvironment.RepositoryRoot, "src", "ImagingRepo.Cli", "bin", Configuration, "net10.0", "imagingrepo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }
}
