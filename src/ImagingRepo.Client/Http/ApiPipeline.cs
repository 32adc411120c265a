using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ImagingRepo.Client.Http;

/// <summary>
/// Sends requests to the dataset service and turns answers into models or typed exceptions. The HTTP client it is
/// given carries the handlers (resilience outside, bearer token inside); this class adds nothing but the protocol.
/// </summary>
internal sealed class ApiPipeline
{
    /// <summary>The most of an error body that is read for its problem details.</summary>
    private const int MaxProblemBytes = 64 * 1024;

    private readonly HttpClient _http;

    public ApiPipeline(HttpClient http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null) throw new ArgumentException("the HttpClient needs a BaseAddress: the service's API root", nameof(http));
        _http = http;
    }

    public Uri BaseAddress => _http.BaseAddress!;

    public async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> result, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, result, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<TResult> SendAsync<TBody, TResult>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyInfo,
        JsonTypeInfo<TResult> result, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, bodyInfo) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, result, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync<TBody>(HttpMethod method, string path, TBody body, JsonTypeInfo<TBody> bodyInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, bodyInfo) };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns a successful answer; any other answer becomes a typed exception.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A caller that asks for another representation (DICOMweb's application/dicom+json, multipart/related) says so itself.
        if (request.Headers.Accept.Count == 0) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            throw await ToExceptionAsync(response, request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Walks a skip/limit list page by page, yielding items as each page arrives: only one page is held at a time.
    /// Stops when the service reports the total reached or returns an empty page.
    /// </summary>
    public async IAsyncEnumerable<TItem> PageAsync<TPage, TItem>(Func<int, int, string> pathFor, int pageSize, JsonTypeInfo<TPage> pageInfo,
        Func<TPage, (IReadOnlyList<TItem>? Items, int? Total)> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var skip = 0;
        while (true)
        {
            var page = await GetAsync(pathFor(skip, pageSize), pageInfo, cancellationToken).ConfigureAwait(false);
            var (items, total) = read(page);
            if (items is null || items.Count == 0) yield break;
            foreach (var item in items) yield return item;
            skip += items.Count;
            if ((total is { } t && skip >= t) || (total is null && items.Count < pageSize)) yield break;
        }
    }

    /// <summary>The request as <c>METHOD path</c>, the path relative to the API root and without its query (which may hold search strings).</summary>
    public string Describe(HttpRequestMessage request)
    {
        var uri = request.RequestUri;
        if (uri is null) return request.Method.Method;
        var path = uri.IsAbsoluteUri ? uri.GetLeftPart(UriPartial.Path) : uri.OriginalString.Split('?')[0];
        var root = BaseAddress.AbsoluteUri;
        return $"{request.Method.Method} {(path.StartsWith(root, StringComparison.Ordinal) ? path[root.Length..] : path)}";
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> result, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync(stream, result, cancellationToken).ConfigureAwait(false)
                    ?? throw new ImagingRepoRequestException($"{Describe(request)} answered null", response.StatusCode, null, Describe(request));
            }
        }
        catch (JsonException e)
        {
            throw new ImagingRepoRequestException($"{Describe(request)} answered a body that is not the expected JSON: {e.Message}", e);
        }
    }

    private async Task<ImagingRepoRequestException> ToExceptionAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxProblemBytes];
        var length = 0;
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0) length += read;
        }

        var problem = ApiProblem.Parse(buffer.AsSpan(0, length));
        return ImagingRepoRequestException.FromResponse(response.StatusCode, problem, Describe(request));
    }

    /// <summary>The ids of a 403 answer of <c>POST /datasetAccessCheck</c> (an array of ids, not problem details).</summary>
    public static IReadOnlyList<string> DeniedIds(ImagingRepoRequestException error) =>
        error.Status == HttpStatusCode.Forbidden && error.Problem?.Body is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
