using System.Text.Json;

namespace ImagingRepo.Client.Http;

/// <summary>
/// What the service said about a refused request: RFC 9457 problem details (our service) or the CHAIMELEON
/// <c>{"error", "status_code"}</c> body, whichever came; members absent from the answer are null.
/// </summary>
/// <param name="Type">The problem type URI, or null.</param>
/// <param name="Title">A short summary of the problem type, or null.</param>
/// <param name="Status">The HTTP status the body names, or null.</param>
/// <param name="Detail">The explanation of this occurrence (problem details <c>detail</c>, or CHAIMELEON <c>error</c>).</param>
/// <param name="Instance">The URI of this occurrence, or null.</param>
/// <param name="TraceId">The server's trace id of the request, when it gave one (quote it when reporting a fault).</param>
/// <param name="Body">The whole body as JSON, or null when it was not JSON.</param>
public sealed record ApiProblem(string? Type, string? Title, int? Status, string? Detail, string? Instance, string? TraceId, JsonElement? Body)
{
    /// <summary>Reads a problem from a response body; null when the body is empty or not a JSON object.</summary>
    /// <param name="body">The response body.</param>
    public static ApiProblem? Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new ApiProblem(null, null, null, null, null, null, root.Clone());
            return new ApiProblem(
                String(root, "type"),
                String(root, "title"),
                root.TryGetProperty("status", out var status) && status.TryGetInt32(out var code) ? code
                    : int.TryParse(String(root, "status_code"), System.Globalization.CultureInfo.InvariantCulture, out var legacy) ? legacy : null,
                String(root, "detail") ?? String(root, "error"),
                String(root, "instance"),
                String(root, "traceId"),
                root.Clone());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
