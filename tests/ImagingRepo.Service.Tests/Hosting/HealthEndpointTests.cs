using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImagingRepo.Service.Tests.Hosting;

public sealed class HealthEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_service_starts_and_answers_its_health_check()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_paths_are_not_found()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/no-such-endpoint", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
