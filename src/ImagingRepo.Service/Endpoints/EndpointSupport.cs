using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ImagingRepo.Service.Endpoints;

/// <summary>Small helpers the endpoint groups share.</summary>
internal static class EndpointSupport
{
    /// <summary>
    /// Writes <paramref name="value"/> as JSON with a strong entity tag over the bytes, or 304 when the caller's
    /// If-None-Match holds that tag (the bytes depend on the caller's permissions, so the tag does too).
    /// </summary>
    public static IResult JsonWithETag<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
        context.Response.Headers[HeaderNames.ETag] = etag;
        foreach (var candidate in context.Request.Headers.IfNoneMatch)
        {
            if (candidate is not null && (candidate == "*" || candidate.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
        }

        return Results.Bytes(bytes, "application/json");
    }

    /// <summary>Declares the problem responses an operation may give, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.ProducesProblem(status);
        return builder;
    }

    /// <summary>Reads <c>true</c>/<c>false</c> leniently (the v1 flag parameters); anything else is a 400.</summary>
    public static bool? Flag(string? value, string name) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "true" or "1" => true,
        "false" or "0" => false,
        _ => throw Hosting.ServiceProblemException.Invalid($"'{name}' must be true or false."),
    };
}
