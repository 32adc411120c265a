using ImagingRepo.Client.Identity;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ImagingRepo.Client.Http;

/// <summary>
/// The HTTP client of a client made with a constructor (without dependency injection): resilience outside, the bearer
/// token inside, one connection pool.
/// </summary>
public static class ClientHttp
{
    /// <summary>Creates the HTTP client for the service at <paramref name="endpoint"/>.</summary>
    /// <param name="endpoint">The API root, e.g. <c>https://platform.example.org/dataset-service/api/</c>.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="resilience">Retry, timeout and circuit-breaker settings, or null for the defaults.</param>
    public static HttpClient Create(Uri endpoint, IAccessTokenProvider? tokens, ClientResilienceOptions? resilience)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        HttpMessageHandler handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (tokens is not null) handler = new BearerTokenHandler(tokens) { InnerHandler = handler };
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddImagingRepoStrategies(resilience ?? new ClientResilienceOptions()).Build();
        handler = new ResilienceHandler(pipeline) { InnerHandler = handler };
        return new HttpClient(handler) { BaseAddress = WithTrailingSlash(endpoint), Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The endpoint with a trailing slash, so that relative paths append to it.</summary>
    /// <param name="endpoint">The API root.</param>
    public static Uri WithTrailingSlash(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }
}
