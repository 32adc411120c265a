using System.CommandLine;
using ImagingRepo.Cli;
using ImagingRepo.Jobs.FakeApiServer;
using k8s;
using k8s.Models;

namespace ImagingRepo.Cli.Tests.Commands;

/// <summary>The jobs, workspace and policy commands against the loopback fake Kubernetes API server.</summary>
public sealed class JobsCommandTests : IAsyncLifetime
{
    private const string Image = "harbor.chaimeleon-eu.i3m.upv.es/tools/nnunet:2.1";
    private FakeKubernetesApiServer _fake = null!;
    private string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKubernetesApiServer.StartAsync();
        _kubeconfig = Path.Combine(Path.GetTempPath(), $"imagingrepo-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: {{_fake.BaseAddress.ToString().TrimEnd('/')}}
            users:
            - name: tester
              user:
                token: not-checked-by-the-fake
            contexts:
            - name: fake
              context:
                cluster: fake
                user: tester
            current-context: fake
            """);
    }

    public async Task DisposeAsync()
    {
        File.Delete(_kubeconfig);
        await _fake.DisposeAsync();
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await CliApplication.CreateRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Dry_run_prints_exactly_what_submit_creates()
    {
        var (createExit, createOutput, createError) = await RunAsync("workspace", "create", "alice", "--dataset-gid", "2042", "--kubeconfig", _kubeconfig);
        Assert.True(createExit == 0, createError);
        Assert.Contains("user-alice: 8 created", createOutput, StringComparison.Ordinal);

        string[] submit = ["jobs", "submit", "-i", Image, "-r", "medium", "-n", "seg", "--kubeconfig", _kubeconfig, "--user", "alice"];
        var (dryExit, yaml, dryError) = await RunAsync([.. submit, "--dry-run", "--", "python", "run.py", "--fold", "1"]);
        Assert.True(dryExit == 0, dryError);
        var (exit, output, error) = await RunAsync([.. submit, "--", "python", "run.py", "--fold", "1"]);
        Assert.True(exit == 0, error);
        Assert.Contains("batch seg submitted to user-alice", output, StringComparison.Ordinal);

        var planned = KubernetesYaml.Deserialize<V1Job>(yaml, strict: true);
        using var client = _fake.CreateClient();
        var created = await client.BatchV1.ReadNamespacedJobAsync("seg", "user-alice");
        Assert.Equal(KubernetesYaml.Serialize(planned.Spec), KubernetesYaml.Serialize(created.Spec));
        Assert.Equal(planned.Metadata.Annotations, created.Metadata.Annotations);
        Assert.Equal(["python", "run.py", "--fold", "1"], created.Spec.Template.Spec.Containers[0].Args);

        var (listExit, list, _) = await RunAsync("jobs", "list", "--kubeconfig", _kubeconfig, "--user", "alice");
        Assert.Equal(0, listExit);
        Assert.Contains("seg", list, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("jobs", "delete", "seg", "--kubeconfig", _kubeconfig, "--user", "alice")).Exit);
        Assert.Equal(3, (await RunAsync("jobs", "delete", "seg", "--kubeconfig", _kubeconfig, "--user", "alice")).Exit);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named()
    {
        var (exit, _, error) = await RunAsync("jobs", "submit", "-i", Image, "-r", "huge", "--user", "bob", "--dataset-gid", "7", "--dry-run");
        Assert.Equal(2, exit);
        Assert.Contains("flavor: unknown resource flavour 'huge'", error, StringComparison.Ordinal);

        (exit, _, error) = await RunAsync("jobs", "submit", "-i", "docker.io/library/ubuntu:24.04", "--user", "bob", "--dataset-gid", "7", "--dry-run");
        Assert.Equal(2, exit);
        Assert.Contains("restrict-image-registries", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datasets_are_refused_while_no_dataset_service_is_configured()
    {
        Assert.Equal(0, (await RunAsync("workspace", "create", "carol", "--dataset-gid", "9", "--kubeconfig", _kubeconfig)).Exit);
        var (exit, _, error) = await RunAsync("jobs", "submit", "-i", Image, "-d", "ds-1", "--kubeconfig", _kubeconfig, "--user", "carol");
        Assert.Equal(2, exit);
        Assert.Contains("datasets: access denied to ds-1", error, StringComparison.Ordinal);
        using var client = _fake.CreateClient();
        Assert.Empty((await client.BatchV1.ListNamespacedJobAsync("user-carol")).Items);
    }

    [Fact]
    public async Task Dry_run_without_a_cluster_names_the_options_that_make_it_work_offline()
    {
        // a kubeconfig naming a server that is not there: the workspace identity cannot be read
        string unreachable = Path.Combine(Path.GetTempPath(), $"imagingrepo-kubeconfig-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(unreachable, (await File.ReadAllTextAsync(_kubeconfig)).Replace(
            _fake.BaseAddress.ToString().TrimEnd('/'), "http://127.0.0.1:9", StringComparison.Ordinal));
        try
        {
            string[] submit = ["jobs", "submit", "-i", Image, "-n", "seg", "--dry-run", "--kubeconfig", unreachable, "--user", "alice"];
            var (exit, _, error) = await RunAsync(submit);
            Assert.NotEqual(0, exit);
            Assert.Contains("--dataset-gid", error, StringComparison.Ordinal);
            Assert.Contains("-u", error, StringComparison.Ordinal);

            var (offline, yaml, offlineError) = await RunAsync([.. submit, "--dataset-gid", "2042"]);
            Assert.True(offline == 0, offlineError);
            Assert.Contains("namespace: user-alice", yaml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(unreachable);
        }
    }

    [Fact]
    public async Task Policy_check_with_a_user_but_no_dataset_gid_says_it_skipped_the_workspace_rules()
    {
        var (_, yaml, _) = await RunAsync("jobs", "submit", "-i", Image, "-n", "seg", "--dry-run", "--user", "alice", "--dataset-gid", "2042");
        string file = Path.Combine(Path.GetTempPath(), $"job-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var (exit, output, error) = await RunAsync("policy", "check", file, "-u", "alice");
            Assert.True(exit == 0, error);
            Assert.Contains("workspace rules", output + error, StringComparison.Ordinal);
            Assert.Contains("--dataset-gid", output + error, StringComparison.Ordinal);

            (exit, output, error) = await RunAsync("policy", "check", file, "-u", "alice", "--dataset-gid", "2042");
            Assert.True(exit == 0, error);
            Assert.DoesNotContain("skipped", output + error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Policy_check_lists_every_violation_of_a_legacy_template()
    {
        string file = Path.Combine(Path.GetTempPath(), $"primage-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: #batch_job_name#
              namespace: #namespace_name#
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: #docker_image#
                    args: #command_line_arguments#
                    securityContext:
                      privileged: true
            """);
        try
        {
            var (exit, output, checkError) = await RunAsync("policy", "check", file, "--set", "batch_job_name=j", "--set", "namespace_name=user-a",
                "--set", "docker_image=" + Image, "--set", "command_line_arguments=[\"run\", \"--fast\"]");
            Assert.True(exit == 1, checkError);
            Assert.Contains("[disallow-privileged-containers] Job/j spec.template.spec.containers[0].securityContext.privileged", output, StringComparison.Ordinal);
            Assert.Contains("[require-resource-limits]", output, StringComparison.Ordinal);

            (exit, _, string error) = await RunAsync("policy", "check", file, "--set", "batch_job_name=j");
            Assert.Equal(2, exit);
            Assert.Contains("placeholder left unfilled", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_config_file_is_bound_and_validated_as_the_service_binds_its_configuration()
    {
        string file = Path.Combine(Path.GetTempPath(), $"jobs-{Guid.NewGuid():N}.json");
        try
        {
            // Bound like configuration: a flavour is added to the defaults (not replacing them), numbers may be strings,
            // and the service's appsettings shape (ImagingRepo:Jobs) is read as well as the bare options.
            await File.WriteAllTextAsync(file, """
                { "ImagingRepo": { "Jobs": {
                    "Flavors": { "tiny": { "CpuRequest": "250m", "CpuLimit": "500m", "MemoryRequest": "256Mi", "MemoryLimit": "512Mi" } },
                    "Hardening": { "BackoffLimit": "5" } } } }
                """);
            string[] submit = ["jobs", "submit", "-i", Image, "--user", "bob", "--dataset-gid", "7", "--dry-run", "--config", file];
            var (exit, output, error) = await RunAsync([.. submit, "-r", "tiny"]);
            Assert.True(exit == 0, error);
            Assert.Contains("backoffLimit: 5", output, StringComparison.Ordinal);
            Assert.Contains("cpu: 250m", output, StringComparison.Ordinal);
            (exit, _, error) = await RunAsync([.. submit, "-r", "medium"]);
            Assert.True(exit == 0, error);

            // Validated at load, as the service validates at start: an unknown default flavour is refused even when unused.
            await File.WriteAllTextAsync(file, """{ "DefaultFlavor": "missing" }""");
            (exit, _, error) = await RunAsync([.. submit, "-r", "small"]);
            Assert.Equal(2, exit);
            Assert.Contains("DefaultFlavor", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Kyverno_policy_is_emitted()
    {
        var (exit, output, _) = await RunAsync("policy", "kyverno");
        Assert.Equal(0, exit);
        Assert.StartsWith("apiVersion: kyverno.io/v1", output, StringComparison.Ordinal);
        Assert.Contains("name: disallow-host-path", output, StringComparison.Ordinal);
    }
}
