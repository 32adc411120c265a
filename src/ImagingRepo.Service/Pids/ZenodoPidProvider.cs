using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace ImagingRepo.Service.Pids;

/// <summary>
/// Zenodo's deposition API, metadata only (no files: the data stays on the platform). A new DOI: <c>POST
/// deposit/depositions</c> → <c>PUT deposit/depositions/{id}</c> with the metadata → <c>POST …/actions/publish</c>,
/// whose answer holds the DOI. A change of a published record (closing it, opening it again): <c>POST …/actions/edit</c> →
/// PUT → publish. When a step fails after the first, the draft is deleted (new record) or the edit discarded, so that
/// nothing is left half-done at Zenodo either. The deposition id is the last part of Zenodo's DOI (10.5281/zenodo.&lt;id&gt;),
/// as CHAIMELEON reads it back.
/// </summary>
internal sealed partial class ZenodoPidProvider(IHttpClientFactory httpClients, IOptions<PidOptions> options, ILogger<ZenodoPidProvider> logger) : IPidProvider
{
    /// <summary>The name of the HttpClient (and its resilience pipeline).</summary>
    public const string HttpClientName = "ImagingRepo.Service.Zenodo";

    private readonly ZenodoOptions _options = options.Value.Zenodo;

    /// <inheritdoc />
    public async Task<string?> PublishAsync(PidDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var token = TokenOf(dataset);
        using var client = httpClients.CreateClient(HttpClientName);
        if (dataset.Doi is { } doi)
        {
            await ChangeAsync(client, token, DepositionIdOf(doi), dataset, cancellationToken).ConfigureAwait(false);
            return doi;
        }

        var created = await SendAsync(client, HttpMethod.Post, "deposit/depositions", new JsonObject(), token, "create the deposition", cancellationToken)
            .ConfigureAwait(false);
        var id = created.ValueKind == JsonValueKind.Object && created.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number
            ? idElement.GetInt64()
            : throw new PidProviderException(PidFailure.Unavailable, "Zenodo created a deposition but its answer has no numeric 'id'.", 201);
        LogCreated(dataset.Id, id);
        try
        {
            await SendAsync(client, HttpMethod.Put, $"deposit/depositions/{id}", Metadata(dataset), token, "store the metadata", cancellationToken).ConfigureAwait(false);
            var published = await SendAsync(client, HttpMethod.Post, $"deposit/depositions/{id}/actions/publish", null, token, "publish the deposition",
                cancellationToken).ConfigureAwait(false);
            var url = DoiUrlOf(published);
            LogPublished(dataset.Id, id, url);
            return url;
        }
        catch (Exception e) when (e is PidProviderException or OperationCanceledException)
        {
            await UndoAsync(client, HttpMethod.Delete, $"deposit/depositions/{id}", token, dataset.Id, id).ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task WithdrawAsync(PidDataset dataset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var doi = dataset.Doi ?? throw new ArgumentException("The dataset has no DOI to withdraw.", nameof(dataset));
        using var client = httpClients.CreateClient(HttpClientName);
        await ChangeAsync(client, TokenOf(dataset), DepositionIdOf(doi), new PidDataset
        {
            Id = dataset.Id,
            Title = dataset.Title,
            Description = dataset.Description,
            Creator = dataset.Creator,
            LandingPage = dataset.LandingPage,
            Doi = doi,
            AccessOpen = false,
            LicenseUrl = dataset.LicenseUrl,
            Version = dataset.Version,
            PublicationDate = dataset.PublicationDate,
            Community = dataset.Community,
            Grant = dataset.Grant,
            AccessToken = dataset.AccessToken,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>edit → PUT → publish on a published record; the edit is discarded when a later step fails.</summary>
    private async Task ChangeAsync(HttpClient client, string token, long id, PidDataset dataset, CancellationToken cancellationToken)
    {
        await SendAsync(client, HttpMethod.Post, $"deposit/depositions/{id}/actions/edit", null, token, "unlock the record for editing", cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await SendAsync(client, HttpMethod.Put, $"deposit/depositions/{id}", Metadata(dataset), token, "store the metadata", cancellationToken).ConfigureAwait(false);
            await SendAsync(client, HttpMethod.Post, $"deposit/depositions/{id}/actions/publish", null, token, "publish the change", cancellationToken)
                .ConfigureAwait(false);
            LogChanged(dataset.Id, id, dataset.AccessOpen ? "open" : "closed");
        }
        catch (Exception e) when (e is PidProviderException or OperationCanceledException)
        {
            await UndoAsync(client, HttpMethod.Post, $"deposit/depositions/{id}/actions/discard", token, dataset.Id, id).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The deposition's metadata: what the dataset says, the project's community and grant, the access it has now.</summary>
    internal JsonObject Metadata(PidDataset d)
    {
        var metadata = new JsonObject
        {
            ["upload_type"] = _options.UploadType,
            ["title"] = d.Title,
            ["creators"] = new JsonArray(new JsonObject { ["name"] = d.Creator }),
            ["description"] = Description(d),
            ["access_right"] = d.AccessOpen ? "open" : "closed",
            ["publication_date"] = d.PublicationDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["related_identifiers"] = new JsonArray(new JsonObject
            {
                ["identifier"] = d.LandingPage.AbsoluteUri,
                ["relation"] = "describes",
                ["resource_type"] = "dataset",
            }),
        };
        // Zenodo wants a licence for open records; one it knows by id, else its default for datasets applies.
        if (d.AccessOpen && ZenodoLicense(d.LicenseUrl) is { } license) metadata["license"] = license;
        if (d.Version.Length > 0) metadata["version"] = d.Version;
        if (d.Community.Length > 0) metadata["communities"] = new JsonArray(new JsonObject { ["identifier"] = d.Community });
        if (d.Grant.Length > 0) metadata["grants"] = new JsonArray(new JsonObject { ["id"] = ZenodoGrant(d.Grant) });
        return new JsonObject { ["metadata"] = metadata };
    }

    /// <summary>Zenodo's description is HTML: the dataset's own text escaped, then where it lives.</summary>
    private static string Description(PidDataset d)
    {
        var html = new StringBuilder();
        if (d.Description.Length > 0) html.Append("<p>").Append(WebUtility.HtmlEncode(d.Description)).Append("</p>");
        var link = WebUtility.HtmlEncode(d.LandingPage.AbsoluteUri);
        html.Append("<p>Imaging dataset <a href=\"").Append(link).Append("\">").Append(WebUtility.HtmlEncode(d.Id))
            .Append("</a>, processed in-situ on the platform that holds it (the data is not deposited here).</p>");
        return html.ToString();
    }

    /// <summary>
    /// Zenodo's licence id of a Creative Commons URL (cc-by-4.0, cc0-1.0, …), or null for any other licence. Only ids that
    /// Zenodo's licence vocabulary holds (zenodo/zenodo-rdm, site/zenodo_rdm/legacy/vocabularies/data/legacy_to_rdm_map.json):
    /// the six CC licences in versions 1.0 to 4.0, and CC0 1.0; an id it does not know would fail the deposition.
    /// </summary>
    internal static string? ZenodoLicense(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !uri.Host.EndsWith("creativecommons.org", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 3 && parts[0] == "licenses" && CreativeCommonsKinds.Contains(parts[1]) && CreativeCommonsVersions.Contains(parts[2]))
        {
            return $"cc-{parts[1]}-{parts[2]}";
        }

        if (parts.Length >= 3 && parts[0] == "publicdomain" && parts[1] == "zero" && parts[2] == "1.0") return "cc0-1.0";
        return null;
    }

    private static readonly string[] CreativeCommonsKinds = ["by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd"];

    private static readonly string[] CreativeCommonsVersions = ["1.0", "2.0", "2.5", "3.0", "4.0"];

    /// <summary>
    /// A grant as Zenodo wants it: <c>&lt;funder DOI&gt;::&lt;award&gt;</c>. Zenodo's documentation lets a bare number stand
    /// for a European Commission grant; its current deposit API splits every id at <c>::</c> (zenodo/zenodo-rdm,
    /// site/zenodo_rdm/legacy/deserializers/schemas.py), so a bare id is sent with the Commission's funder DOI.
    /// </summary>
    internal static string ZenodoGrant(string grant) =>
        grant.Contains("::", StringComparison.Ordinal) ? grant : EuropeanCommissionFunderDoi + "::" + grant;

    private const string EuropeanCommissionFunderDoi = "10.13039/501100000780";

    private string TokenOf(PidDataset dataset) =>
        dataset.AccessToken is { Length: > 0 } own ? own
        : _options.AccessToken is { Length: > 0 } configured ? configured
        : throw new PidProviderException(PidFailure.Unauthorized,
            "No Zenodo access token: set the project's zenodoAccessToken, or ImagingRepo:Service:Pids:Zenodo:AccessToken.", null);

    private static long DepositionIdOf(string doi)
    {
        var dot = doi.LastIndexOf("zenodo.", StringComparison.OrdinalIgnoreCase);
        return dot >= 0 && long.TryParse(doi.AsSpan(dot + "zenodo.".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new PidProviderException(PidFailure.Rejected, $"'{doi}' is not a Zenodo DOI (10.5281/zenodo.<id>); its record cannot be changed here.", null);
    }

    private static string DoiUrlOf(JsonElement published)
    {
        if (published.ValueKind != JsonValueKind.Object) throw new PidProviderException(PidFailure.Unavailable, "Zenodo published the deposition but its answer has no DOI.", null);
        if (published.TryGetProperty("doi_url", out var url) && url.GetString() is { Length: > 0 } doiUrl) return doiUrl;
        if (published.TryGetProperty("doi", out var doi) && doi.GetString() is { Length: > 0 } plain) return "https://doi.org/" + plain;
        throw new PidProviderException(PidFailure.Unavailable, "Zenodo published the deposition but its answer has no DOI.", null);
    }

    private async Task<JsonElement> SendAsync(HttpClient client, HttpMethod method, string path, JsonNode? body, string token, string what,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new PidProviderException(PidFailure.Unavailable, $"Zenodo could not be reached to {what}: {e.Message}", null, e);
        }
        catch (TimeoutRejectedException e)
        {
            throw new PidProviderException(PidFailure.Unavailable, $"Zenodo did not answer in time to {what}.", null, e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return text.Length == 0 ? default : Parse(text, what, status);
            }

            var reason = Reason(text);
            var failure = status is 401 or 403 ? PidFailure.Unauthorized : status >= 500 || status is 408 or 429 ? PidFailure.Unavailable : PidFailure.Rejected;
            throw new PidProviderException(failure, $"Zenodo refused to {what} ({status}){(reason.Length > 0 ? ": " + reason : ".")}", status);
        }
    }

    private static JsonElement Parse(string text, string what, int status)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PidProviderException(PidFailure.Unavailable, $"Zenodo's answer to {what} is not JSON.", status, e);
        }
    }

    /// <summary>Zenodo's error message and its per-field errors, as one sentence.</summary>
    private static string Reason(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "";
            var reason = new StringBuilder(root.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var error in errors.EnumerateArray())
                {
                    if (error.ValueKind != JsonValueKind.Object) continue;
                    var field = error.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    reason.Append(reason.Length > 0 ? " " : "").Append(field is { Length: > 0 } ? field + ": " : "").Append(Detail(error));
                }
            }

            return reason.ToString().Trim();
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>
    /// One field error's text. Zenodo's documentation shows <c>{"code", "message", "field"}</c>; the InvenioRDM software
    /// Zenodo runs on now answers <c>{"field", "messages": [...]}</c> (invenio-rdm-records, ValidationErrorWithMessageAsList):
    /// both are read.
    /// </summary>
    private static string Detail(JsonElement error)
    {
        if (error.TryGetProperty("message", out var message)) return message.ValueKind == JsonValueKind.String ? message.GetString() ?? "" : message.GetRawText();
        if (error.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            return string.Join(" ", messages.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : m.GetRawText()));
        }

        return "";
    }

    /// <summary>Best effort: a compensation that fails is logged, and the original failure is what the caller sees.</summary>
    private async Task UndoAsync(HttpClient client, HttpMethod method, string path, string token, string datasetId, long depositionId)
    {
        try
        {
            using var cancel = new CancellationTokenSource(_options.AttemptTimeout);
            await SendAsync(client, method, path, null, token, "undo", cancel.Token).ConfigureAwait(false);
            LogUndone(datasetId, depositionId);
        }
        catch (Exception e) when (e is PidProviderException or OperationCanceledException)
        {
            LogUndoFailed(datasetId, depositionId, e.Message);
        }
    }

    private Uri BaseUrl => _options.BaseUrl.AbsoluteUri.EndsWith('/') ? _options.BaseUrl : new Uri(_options.BaseUrl.AbsoluteUri + "/");

    [LoggerMessage(Level = LogLevel.Information, Message = "Zenodo deposition {DepositionId} created for dataset {DatasetId}")]
    private partial void LogCreated(string datasetId, long depositionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zenodo deposition {DepositionId} of dataset {DatasetId} published: {Doi}")]
    private partial void LogPublished(string datasetId, long depositionId, string doi);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zenodo record {DepositionId} of dataset {DatasetId} republished with access {Access}")]
    private partial void LogChanged(string datasetId, long depositionId, string access);

    [LoggerMessage(Level = LogLevel.Information, Message = "Zenodo deposition {DepositionId} of dataset {DatasetId}: the unfinished step was undone")]
    private partial void LogUndone(string datasetId, long depositionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zenodo deposition {DepositionId} of dataset {DatasetId}: undoing the unfinished step failed too ({Reason}); check it in Zenodo")]
    private partial void LogUndoFailed(string datasetId, long depositionId, string reason);
}
