using ImagingRepo.Jobs.FakeApiServer;
using ImagingRepo.Jobs.Lifecycle;
using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Tests.Support;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Jobs.Tests.DependencyInjection;

public class JobsServiceCollectionExtensionsTests
{
    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public async Task Options_bind_from_configuration_and_the_client_resolves()
    {
        await using var fake = await FakeKubernetesApiServer.StartAsync();
        var sinks = new RecordingSinks();
        var services = new ServiceCollection()
            .AddSingleton<IKubernetes>(fake.CreateClient())
            .AddSingleton<IDatasetAccessGate>(new RecordingGate())
            .AddSingleton<IDatasetAccessRecorder>(sinks)
            .AddSingleton<IDatasetUseTraceSink>(sinks)
            .AddImagingRepoJobs(Configuration(new()
            {
                ["Flavors:tiny:CpuRequest"] = "250m",
                ["Flavors:tiny:CpuLimit"] = "500m",
                ["Flavors:tiny:MemoryRequest"] = "256Mi",
                ["Flavors:tiny:MemoryLimit"] = "512Mi",
                ["DefaultFlavor"] = "tiny",
                ["Conventions:HomePath"] = "/home/user",
            }));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var client = provider.GetRequiredService<JobsClient>();
        Assert.Same(provider.GetRequiredService<PolicyChecker>(), client.Policy);
        var job = client.Renderer.RenderJob(new BatchJob { Name = "x", Image = TestData.Registry + "a:1" }, TestData.Workspace);
        Assert.Equal("250m", job.Spec.Template.Spec.Containers[0].Resources.Requests["cpu"].ToString());
        Assert.Equal("/home/user", job.Spec.Template.Spec.Containers[0].WorkingDir);
    }

    [Fact]
    public void Invalid_options_fail_at_start_up_naming_the_setting()
    {
        var services = new ServiceCollection().AddImagingRepoJobs(Configuration(new()
        {
            ["DefaultFlavor"] = "missing",
            ["Flavors:small:CpuRequest"] = "8",
            ["Policy:AllowedRegistries:0"] = "registry.example.org",
        }));
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(e.Failures, f => f.StartsWith("DefaultFlavor", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.StartsWith("Flavors:small:Cpu", StringComparison.Ordinal));
        Assert.Contains(e.Failures, f => f.Contains("must end with '/'", StringComparison.Ordinal));
    }
}
