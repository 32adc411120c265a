using System.Collections.Concurrent;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;
using ImagingRepo.Client.Identity;
using ImagingRepo.Client.Storage;
using ImagingRepo.Client.Tests.Support;
using ImagingRepo.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Client.Tests.DependencyInjection;

/// <summary>The DI registration: options from configuration, validated; clients with sign-in and resilience in their pipeline.</summary>
public sealed class AddImagingRepoClientTests(OidcServer oidc) : IClassFixture<OidcServer>
{
    [Fact]
    public void Options_are_bound_from_configuration_and_validated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImagingRepo:Endpoint"] = "https://platform.example.org/dataset-service/api",
            ["ImagingRepo:SignIn:Flow"] = "ClientCredentials",
            ["ImagingRepo:SignIn:Authority"] = "http://auth.example.org/",
            ["ImagingRepo:Datasets:PageSize"] = "500",
            ["ImagingRepo:Resilience:MaxRetries"] = "5",
            ["ImagingRepo:DataLake:Kind"] = "S3",
        }).Build();
        using var services = new ServiceCollection().AddImagingRepoClient(configuration.GetSection("ImagingRepo")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("HTTPS", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ClientId", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ClientSecret", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("DataLake:S3:Bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_endpoint_is_refused()
    {
        using var services = new ServiceCollection().AddImagingRepoClient(_ => { }).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ImagingRepoClientOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public void Anonymous_local_configuration_gives_every_client_and_a_local_lake()
    {
        var lake = Path.Combine(Path.GetTempPath(), "imagingrepo-di-" + Guid.NewGuid().ToString("N"));
        using var services = new ServiceCollection()
            .AddImagingRepoClient(o =>
            {
                o.Endpoint = new Uri("http://127.0.0.1:9/api/");
                o.DataLake.LocalPath = lake;
            })
            .BuildServiceProvider();

        Assert.NotNull(services.GetRequiredService<DatasetsClient>());
        Assert.NotNull(services.GetRequiredService<AccessClient>());
        Assert.NotNull(services.GetRequiredService<RepositoryClient>().Projects);
        Assert.IsType<LocalFolderDataLakeStorage>(services.GetRequiredService<IDataLakeStorage>());
        Directory.Delete(lake);
    }

    [SkippableFact]
    public async Task Registered_client_signs_in_and_retries_once_with_a_fresh_token_after_401()
    {
        oidc.Require();
        var authorizations = new ConcurrentQueue<string?>();
        string? refused = null;
        await using var api = new LoopbackApi(request =>
        {
            var authorization = request.Headers["Authorization"];
            authorizations.Enqueue(authorization);
            refused ??= authorization; // the first token is "revoked"
            return authorization == refused ? (401, """{"title":"token revoked"}""", null) : (200, """{"id":"d-1","name":"Lung"}""", null);
        });
        using var services = new ServiceCollection()
            .AddImagingRepoClient(o =>
            {
                o.Endpoint = api.BaseAddress;
                o.SignIn = new SignInOptions
                {
                    Flow = SignInFlow.ClientCredentials,
                    Authority = new Uri(oidc.Issuer),
                    ClientId = oidc.ClientId,
                    ClientSecret = oidc.ClientSecret,
                    Scope = "datasets:read",
                };
            })
            .BuildServiceProvider();

        var dataset = await services.GetRequiredService<DatasetsClient>().GetDatasetAsync("d-1");

        Assert.Equal("Lung", dataset.Name);
        var sent = authorizations.ToArray();
        Assert.Equal(2, sent.Length);
        Assert.All(sent, a => Assert.StartsWith("Bearer ey", a, StringComparison.Ordinal));
        Assert.NotEqual(sent[0], sent[1]);
    }
}
