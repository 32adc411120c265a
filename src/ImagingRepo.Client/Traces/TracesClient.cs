using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using ImagingRepo.Tracing.Compatibility;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Client.Traces;

/// <summary>
/// The traces area: records traces on, and reads them from, a CHAIMELEON tracer (<c>/api/v1/traces</c>) or an EUCAIM
/// tracing service (<c>/api/v2/traces</c>) in their own formats, through the wire serializers of ImagingRepo.Tracing
/// (<see cref="TracerV1Mapper"/>, <see cref="TracerV2Mapper"/>, <see cref="TracerWireSerializer"/>). Only ids, hashes and
/// the user id as recorded (a pseudonym) travel.
/// </summary>
public sealed class TracesClient
{
    private const string V1Path = "api/v1/traces";
    private const string V2Path = "api/v2/traces";

    private readonly ApiPipeline _api;
    private readonly TracesClientOptions _options;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The tracer's root, under which <c>api/v1/traces</c> or <c>api/v2/traces</c> lies.</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public TracesClient(Uri endpoint, IAccessTokenProvider? tokens, TracesClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, null), options)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the tracer's root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public TracesClient(HttpClient http, TracesClientOptions? options)
    {
        _api = new ApiPipeline(http);
        _options = options ?? new TracesClientOptions();
    }

    /// <summary>The API this client speaks.</summary>
    public TracerApi Api => _options.Api;

    /// <summary>
    /// Records <paramref name="trace"/> on the tracer (<c>POST</c>): a V1 request with the configured blockchains, or a v2
    /// request. The tracer sets the id, time and caller of what it stores.
    /// </summary>
    /// <param name="trace">The trace, its user id as recorded (a pseudonym).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="TraceFormatException">The trace cannot be expressed in this API (e.g. a model trace for EUCAIM v2).</exception>
    public async Task<TraceSubmission> RecordAsync(Trace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var v1 = _options.Api == TracerApi.ChaimeleonV1;
        var body = v1 ? TracerV1Mapper.ToRequest(trace, _options.Blockchains) : TracerV2Mapper.ToRequest(trace);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, v1 ? V1Path : V2Path) { Content = content };
        var answer = await SendForBytesAsync(request, cancellationToken).ConfigureAwait(false);
        if (!v1) return new TraceSubmission(TracerV2Mapper.ReadCreatedId(answer).ToString("D"), null);
        if (answer.Length == 0) return new TraceSubmission(null, null);
        using var document = JsonDocument.Parse(answer);
        return new TraceSubmission(null, document.RootElement.Clone());
    }

    /// <summary>A trace as the CHAIMELEON tracer stores it, per blockchain (<c>GET /api/v1/traces/{id}</c>); a blockchain that lacks it has a null trace.</summary>
    /// <param name="id">The tracer's id (a UUID, or an epoch-ms string for traces from before September 2022).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">The tracer knows no such trace.</exception>
    public async Task<IReadOnlyList<TracerV1BlockchainTrace>> GetV1TraceAsync(string id, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, V1Path + "/" + Query.Segment(id));
        return TracerWireSerializer.ReadV1TraceById(await SendForBytesAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The CHAIMELEON tracer's summaries that match, page by page (<c>skipTraces</c>, <c>limitTraces</c>): only one page is
    /// held at a time. Each blockchain answers its own page; the walk ends when every blockchain has given all it counts.
    /// </summary>
    /// <param name="query">The filters, or null for every trace.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public async IAsyncEnumerable<TracerV1ListedTrace> GetV1TracesAsync(TracerV1Query? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new TracerV1Query();
        var skip = 0;
        while (true)
        {
            var path = new Query(V1Path).Add("userId", query.UserIds).Add("callerUserId", query.CallerUserIds).Add("datasetId", query.DatasetIds)
                .Add("userAction", query.UserActions.Select(a => a.ToWireName())).Add("blockchain", query.Blockchain)
                .Add("skipTraces", skip).Add("limitTraces", _options.PageSize).ToString();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var pages = TracerWireSerializer.ReadV1TraceList(await SendForBytesAsync(request, cancellationToken).ConfigureAwait(false));
            var more = false;
            foreach (var page in pages)
            {
                foreach (var summary in page.Traces) yield return new TracerV1ListedTrace(page.Blockchain, summary);
                more |= page.Traces.Count == _options.PageSize && skip + page.Traces.Count < page.CountAllTraces;
            }

            if (!more) yield break;
            skip += _options.PageSize;
        }
    }

    /// <summary>The EUCAIM tracing service's traces, page by page (<c>skip</c>, <c>limit</c>), optionally of one dataset.</summary>
    /// <param name="datasetId">Only this dataset's traces (<c>datasetId</c>), or null for all.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public async IAsyncEnumerable<TracerTrace> GetV2TracesAsync(string? datasetId = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var skip = 0;
        while (true)
        {
            var path = new Query(V2Path).Add("datasetId", datasetId).Add("skip", skip).Add("limit", _options.PageSize).ToString();
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            var page = TracerWireSerializer.ReadV2TracePage(await SendForBytesAsync(request, cancellationToken).ConfigureAwait(false));
            foreach (var trace in page.Data) yield return trace;
            skip += page.Data.Count;
            if (page.Data.Count == 0 || skip >= page.Total) yield break;
        }
    }

    /// <summary>Sends and reads the whole answer, refusing one larger than the serializers accept.</summary>
    private async Task<byte[]> SendForBytesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content.Headers.ContentLength > TracerWireSerializer.MaxDocumentBytes)
        {
            throw new ImagingRepoRequestException($"{_api.Describe(request)} answered more than {TracerWireSerializer.MaxDocumentBytes} bytes");
        }

        await response.Content.LoadIntoBufferAsync(TracerWireSerializer.MaxDocumentBytes, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }
}
