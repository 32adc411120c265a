using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ImagingRepo.Client.Http;
using ImagingRepo.Client.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ImagingRepo.Client.DicomWeb;

/// <summary>
/// A PACS or archive through DICOMweb (PS3.18): QIDO-RS searches read into typed studies and series, WADO-RS retrieves
/// streamed to disk instance by instance (a study is never held in memory), and STOW-RS stores. It shares the clients'
/// HTTP pipeline (resilience, bearer token) and their typed exceptions: a 404 is <see cref="ResourceNotFoundException"/>,
/// an answer that breaks the standard's format is <see cref="DicomWebFormatException"/>.
/// </summary>
public sealed class DicomWebClient
{
    private const string DicomJsonType = "application/dicom+json";
    private const string DicomType = "application/dicom";
    private const int Part10PreambleAndPrefix = 132;

    private readonly ApiPipeline _api;
    private readonly DicomWebClientOptions _options;

    /// <summary>Creates a client with its own HTTP pipeline (resilience, bearer token).</summary>
    /// <param name="endpoint">The DICOMweb root, under which <c>studies</c> lies (e.g. Orthanc's <c>http://pacs:8042/dicom-web/</c>).</param>
    /// <param name="tokens">Where bearer tokens come from, or null for anonymous calls.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public DicomWebClient(Uri endpoint, IAccessTokenProvider? tokens, DicomWebClientOptions? options)
        : this(ClientHttp.Create(endpoint, tokens, options?.Resilience), options)
    {
    }

    /// <summary>Creates a client over an HTTP client that already carries the handlers.</summary>
    /// <param name="http">The HTTP client; its base address is the DICOMweb root.</param>
    /// <param name="options">Client settings, or null for the defaults.</param>
    public DicomWebClient(HttpClient http, DicomWebClientOptions? options)
    {
        _api = new ApiPipeline(http);
        _options = options ?? new DicomWebClientOptions();
    }

    /// <summary>
    /// The studies that match <paramref name="query"/> (QIDO-RS <c>GET studies</c>), page by page (<c>limit</c>,
    /// <c>offset</c>): only one page is held at a time.
    /// </summary>
    /// <param name="query">The matching keys; every key set must match.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    public async IAsyncEnumerable<DicomWebStudy> SearchStudiesAsync(DicomWebStudyQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new Query("studies")
            .Add("PatientID", query.PatientId)
            .Add("ModalitiesInStudy", query.Modality)
            .Add("StudyDate", DicomJson.DateRange(query.StudyDateFrom, query.StudyDateTo))
            .Add("StudyInstanceUID", query.StudyInstanceUid)
            .Add("AccessionNumber", query.AccessionNumber)
            .Add("includefield", DicomJson.StudyDescription);
        await foreach (var item in PageAsync(filter.ToString(), cancellationToken).ConfigureAwait(false))
        {
            var uid = DicomJson.String(item, DicomJson.StudyInstanceUid) ?? throw new DicomWebFormatException("a QIDO-RS study has no Study Instance UID (0020,000D)");
            yield return new DicomWebStudy(uid, DicomJson.String(item, DicomJson.PatientId), DicomJson.String(item, DicomJson.PatientName),
                DicomJson.Date(item, DicomJson.StudyDate), DicomJson.String(item, DicomJson.AccessionNumber), DicomJson.String(item, DicomJson.StudyDescription),
                DicomJson.Strings(item, DicomJson.ModalitiesInStudy), DicomJson.Int(item, DicomJson.StudySeriesCount), DicomJson.Int(item, DicomJson.StudyInstanceCount));
        }
    }

    /// <summary>The series of one study that match <paramref name="query"/> (QIDO-RS <c>GET studies/{study}/series</c>), page by page.</summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="query">The matching keys, or null for every series.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <exception cref="ResourceNotFoundException">The server knows no such study (servers that answer an empty list instead yield nothing).</exception>
    public async IAsyncEnumerable<DicomWebSeries> SearchSeriesAsync(string studyInstanceUid, DicomWebSeriesQuery? query = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        var filter = new Query($"studies/{Query.Segment(studyInstanceUid)}/series")
            .Add("Modality", query?.Modality)
            .Add("SeriesInstanceUID", query?.SeriesInstanceUid)
            .Add("includefield", DicomJson.SeriesDescription);
        await foreach (var item in PageAsync(filter.ToString(), cancellationToken).ConfigureAwait(false))
        {
            var uid = DicomJson.String(item, DicomJson.SeriesInstanceUid) ?? throw new DicomWebFormatException("a QIDO-RS series has no Series Instance UID (0020,000E)");
            yield return new DicomWebSeries(studyInstanceUid, uid, DicomJson.String(item, DicomJson.Modality), DicomJson.Int(item, DicomJson.SeriesNumber),
                DicomJson.String(item, DicomJson.SeriesDescription), DicomJson.Int(item, DicomJson.SeriesInstanceCount));
        }
    }

    /// <summary>
    /// Retrieves every instance of a study (WADO-RS <c>GET studies/{study}</c>) into <paramref name="folder"/>, one
    /// DICOM Part 10 file per instance, each streamed from the multipart answer to a temporary file and renamed into place.
    /// </summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="folder">Where the files go (created when missing), named <c>000001.dcm</c>, <c>000002.dcm</c>, … in the order received.</param>
    /// <param name="progress">Told after each instance, or null.</param>
    /// <param name="cancellationToken">Stops after the current instance; the files written stay.</param>
    /// <exception cref="ResourceNotFoundException">The server knows no such study.</exception>
    /// <exception cref="DicomWebFormatException">The answer is not a well-formed multipart/related body of DICOM files.</exception>
    public Task<DicomWebRetrieval> RetrieveStudyAsync(string studyInstanceUid, string folder, IProgress<DicomWebRetrieveProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        return RetrieveAsync($"studies/{Query.Segment(studyInstanceUid)}", folder, progress, cancellationToken);
    }

    /// <summary>Retrieves every instance of one series (WADO-RS <c>GET studies/{study}/series/{series}</c>) into <paramref name="folder"/>, as <see cref="RetrieveStudyAsync"/> does.</summary>
    /// <param name="studyInstanceUid">The study.</param>
    /// <param name="seriesInstanceUid">The series.</param>
    /// <param name="folder">Where the files go (created when missing).</param>
    /// <param name="progress">Told after each instance, or null.</param>
    /// <param name="cancellationToken">Stops after the current instance; the files written stay.</param>
    /// <exception cref="ResourceNotFoundException">The server knows no such study or series.</exception>
    /// <exception cref="DicomWebFormatException">The answer is not a well-formed multipart/related body of DICOM files.</exception>
    public Task<DicomWebRetrieval> RetrieveSeriesAsync(string studyInstanceUid, string seriesInstanceUid, string folder,
        IProgress<DicomWebRetrieveProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studyInstanceUid);
        ArgumentException.ThrowIfNullOrWhiteSpace(seriesInstanceUid);
        return RetrieveAsync($"studies/{Query.Segment(studyInstanceUid)}/series/{Query.Segment(seriesInstanceUid)}", folder, progress, cancellationToken);
    }

    /// <summary>Stores DICOM Part 10 files (STOW-RS <c>POST studies</c>), streamed from disk in one multipart/related request.</summary>
    /// <param name="files">The files.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instances stored and those refused (a server answers 202 when some were refused).</returns>
    /// <exception cref="StateConflictException">The server refused every instance (409).</exception>
    public async Task<DicomWebStoreResult> StoreAsync(IReadOnlyList<string> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var content = new MultipartContent("related", "imagingrepo-" + Guid.NewGuid().ToString("N"));
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", $"\"{DicomType}\""));
        foreach (var file in files)
        {
            var part = new StreamContent(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan));
            part.Headers.ContentType = new MediaTypeHeaderValue(DicomType);
            content.Add(part);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJsonType));
        using var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using var answer = await ReadJsonAsync(response, request, cancellationToken).ConfigureAwait(false);
        var root = answer?.RootElement ?? default;
        var stored = DicomJson.Items(root, DicomJson.ReferencedSopSequence).Select(i => DicomJson.String(i, DicomJson.SopInstanceUid)).OfType<string>().ToList();
        var failed = DicomJson.Items(root, DicomJson.FailedSopSequence)
            .Select(i => new DicomWebStoreFailure(DicomJson.String(i, DicomJson.SopInstanceUid), DicomJson.Int(i, DicomJson.FailureReason))).ToList();
        return new DicomWebStoreResult(stored, failed);
    }

    private async IAsyncEnumerable<JsonElement> PageAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        for (var offset = 0; ; offset += _options.PageSize)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                string.Create(CultureInfo.InvariantCulture, $"{path}{separator}limit={_options.PageSize}&offset={offset}"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(DicomJsonType));
            List<JsonElement> items;
            using (var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false))
            {
                using var page = await ReadJsonAsync(response, request, cancellationToken).ConfigureAwait(false);
                if (page is null) yield break;
                if (page.RootElement.ValueKind != JsonValueKind.Array)
                {
                    throw new DicomWebFormatException($"{_api.Describe(request)} answered DICOM JSON that is not an array of datasets");
                }

                items = [.. page.RootElement.EnumerateArray().Select(e => e.Clone())];
            }

            foreach (var item in items) yield return item;
            if (items.Count < _options.PageSize) yield break;
        }
    }

    /// <summary>The JSON body, or null for 204 No Content or an empty body.</summary>
    private async Task<JsonDocument?> ReadJsonAsync(HttpResponseMessage response, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0) return null;
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new DicomWebFormatException($"{_api.Describe(request)} answered a body that is not DICOM JSON: {e.Message}", e);
        }
    }

    private async Task<DicomWebRetrieval> RetrieveAsync(string path, string folder, IProgress<DicomWebRetrieveProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(
            $"multipart/related; type=\"{DicomType}\"" + (_options.AnyTransferSyntax ? "; transfer-syntax=*" : "")));
        using var response = await _api.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var what = _api.Describe(request);
        var boundary = Boundary(response.Content.Headers.ContentType, what);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new MultipartReader(boundary, stream);
            var files = new List<string>();
            long bytes = 0;
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
                {
                    if (section.ContentType is { } type && !type.StartsWith(DicomType, StringComparison.OrdinalIgnoreCase))
                    {
                        throw new DicomWebFormatException($"{what} answered a part of type {type}, not {DicomType}");
                    }

                    var file = Path.Combine(folder, (files.Count + 1).ToString("D6", CultureInfo.InvariantCulture) + ".dcm");
                    bytes += await WritePartAsync(section.Body, file, what, files.Count + 1, cancellationToken).ConfigureAwait(false);
                    files.Add(file);
                    progress?.Report(new DicomWebRetrieveProgress(files.Count, bytes));
                }
            }
            catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not HttpIOException))
            {
                throw new DicomWebFormatException($"{what} answered a multipart/related body that is malformed after {files.Count} parts: {e.Message}", e);
            }

            return new DicomWebRetrieval(files, bytes);
        }
    }

    /// <summary>Streams one part to <paramref name="file"/> through a temporary file, checking the Part 10 prefix (<c>DICM</c> after the 128-byte preamble).</summary>
    private static async Task<long> WritePartAsync(Stream body, string file, string what, int index, CancellationToken cancellationToken)
    {
        var temporary = file + ".partial";
        try
        {
            long written;
            var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (output.ConfigureAwait(false))
            {
                var head = new byte[Part10PreambleAndPrefix];
                var length = 0;
                int read;
                while (length < head.Length && (read = await body.ReadAsync(head.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0) length += read;
                if (length < head.Length || !head.AsSpan(128, 4).SequenceEqual("DICM"u8))
                {
                    throw new DicomWebFormatException($"{what} answered a part (number {index}) that is not a DICOM Part 10 file");
                }

                await output.WriteAsync(head, cancellationToken).ConfigureAwait(false);
                await body.CopyToAsync(output, 1024 * 1024, cancellationToken).ConfigureAwait(false);
                written = output.Length;
            }

            File.Move(temporary, file, overwrite: true);
            return written;
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static string Boundary(MediaTypeHeaderValue? contentType, string what)
    {
        if (contentType is null || !string.Equals(contentType.MediaType, "multipart/related", StringComparison.OrdinalIgnoreCase))
        {
            throw new DicomWebFormatException($"{what} answered {contentType?.MediaType ?? "no content type"}, not multipart/related");
        }

        var boundary = contentType.Parameters.FirstOrDefault(p => string.Equals(p.Name, "boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (string.IsNullOrEmpty(boundary)) throw new DicomWebFormatException($"{what} answered multipart/related without a boundary");
        return boundary;
    }
}
