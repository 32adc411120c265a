using System.Security.Cryptography;
using ImagingRepo.Service.Catalogue;
using ImagingRepo.Service.Pids;
using ImagingRepo.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImagingRepo.Service.Endpoints;

/// <summary>
/// FAIR metadata beyond the v1 spec: <c>GET /api/catalogue</c> (all published datasets as one paged DCAT-AP
/// <c>dcat:Catalog</c>, JSON-LD by default, Turtle on <c>Accept: text/turtle</c>), and content negotiation on
/// <c>GET /api/datasets/{id}</c>: <c>application/ld+json</c> or <c>text/turtle</c> preferred over JSON gives the
/// dataset's DCAT-AP description instead of the v1 JSON.
/// </summary>
internal static class CatalogueEndpoints
{
    public static IEndpointRouteBuilder MapCatalogue(this IEndpointRouteBuilder api)
    {
        api.MapGet("/catalogue", async (HttpContext context, CatalogueService service, [FromQuery] int? skip, [FromQuery] int? limit) =>
        {
            var format = Negotiate(context.Request) ?? RdfFormat.JsonLd;
            var page = await ProblemsAsJson(context, () => service.PageAsync(skip, limit, ApiBase(context), context.RequestAborted)).ConfigureAwait(false);
            var links = new List<string> { Link(page.Links.First, "first"), Link(page.Links.Last, "last") };
            if (page.Links.Next is { } next) links.Add(Link(next, "next"));
            if (page.Links.Previous is { } previous) links.Add(Link(previous, "prev"));
            context.Response.Headers.Append(HeaderNames.Link, string.Join(", ", links));
            return Write(context, page.Graph, format);
        }).WithTags("catalogue").WithName("getCatalogue")
            .Produces(StatusCodes.Status200OK, contentType: JsonLdWriter.MediaType, additionalContentTypes: [TurtleWriter.MediaType]).Problems(400);
        return api;
    }

    /// <summary>Lets <c>GET /api/datasets/{id}</c> answer in DCAT-AP when the caller prefers JSON-LD or Turtle to JSON.</summary>
    public static RouteHandlerBuilder WithDcatNegotiation(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            // The representation depends on Accept, whichever is chosen: caches must key on it.
            context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
            if (Negotiate(context.Request) is not { } format || context.Request.RouteValues["id"] is not string id) return await next(invocation).ConfigureAwait(false);
            var service = context.RequestServices.GetRequiredService<CatalogueService>();
            var graph = await ProblemsAsJson(context, () => service.DatasetAsync(context.PlatformUser(), id, ApiBase(context), context.RequestAborted))
                .ConfigureAwait(false);
            return Write(context, graph, format);
        });

    /// <summary>The RDF format the Accept header ranks above plain JSON, or null (JSON, or nothing asked).</summary>
    internal static RdfFormat? Negotiate(HttpRequest request)
    {
        foreach (var accepted in request.GetTypedHeaders().Accept.OrderByDescending(a => a.Quality ?? 1))
        {
            if (accepted.Quality == 0) continue;
            if (accepted.MediaType.Equals(JsonLdWriter.MediaType, StringComparison.OrdinalIgnoreCase)) return RdfFormat.JsonLd;
            if (accepted.MediaType.Equals(TurtleWriter.MediaType, StringComparison.OrdinalIgnoreCase)) return RdfFormat.Turtle;
            if (accepted.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || accepted.MatchesAllTypes
                || accepted.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The base the IRIs are made from: <c>Pids:PublicBaseUrl</c> when configured, else the request's origin and path base.</summary>
    private static Uri ApiBase(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<PidOptions>>().Value.PublicBaseUrl;
        var text = configured?.AbsoluteUri ?? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }

    private static IResult Write(HttpContext context, RdfGraph graph, RdfFormat format)
    {
        var bytes = format == RdfFormat.Turtle ? System.Text.Encoding.UTF8.GetBytes(TurtleWriter.Write(graph)) : JsonLdWriter.Write(graph);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
        context.Response.Headers[HeaderNames.ETag] = etag;
        if (!context.Response.Headers.Vary.Contains(HeaderNames.Accept)) context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Accept);
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag || t.Trim() == "*")))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(bytes, format == RdfFormat.Turtle ? TurtleWriter.MediaType + "; charset=utf-8" : JsonLdWriter.MediaType);
    }

    /// <summary>
    /// A refusal is answered as problem details (JSON) whatever RDF the caller asked for: the problem writer honours
    /// Accept, so the request is marked as accepting them before the exception goes on to the handler.
    /// </summary>
    private static async Task<T> ProblemsAsJson<T>(HttpContext context, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Hosting.ServiceProblemException)
        {
            context.Request.Headers.Accept = "application/problem+json";
            throw;
        }
    }

    private static string Link(string url, string relation) => $"<{url}>; rel=\"{relation}\"";
}

/// <summary>The RDF serializations the service writes.</summary>
internal enum RdfFormat
{
    JsonLd,
    Turtle,
}
