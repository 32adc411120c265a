using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Client.Tests.DicomWeb;

/// <summary>Proves the Orthanc harness: STOW-RS a hand-made instance, then find it with QIDO-RS and WADO-RS.</summary>
public sealed class OrthancDicomWebTests(OrthancServer server) : IClassFixture<OrthancServer>
{
    [SkippableFact]
    public async Task Stored_instance_is_found_by_qido()
    {
        server.Require();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/dicom-web/") };
        var patientId = "HARNESS-" + Guid.NewGuid().ToString("N")[..8];
        var (study, series, instance) = (MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid(), MinimalDicomFile.NewUid());
        var file = MinimalDicomFile.Create(patientId, "Harness^Test", study, series, instance);

        using (var stored = await StowAsync(http, file))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            using var result = JsonDocument.Parse(await stored.Content.ReadAsStringAsync());
            // Failed SOP Sequence: absent or empty.
            if (result.RootElement.TryGetProperty("00081198", out var failed) && failed.TryGetProperty("Value", out var failures))
            {
                Assert.Fail("STOW-RS reported failed instances: " + failures);
            }

            var referenced = result.RootElement.GetProperty("00081199").GetProperty("Value");
            Assert.Equal(instance, Assert.Single(referenced.EnumerateArray()).GetProperty("00081155").GetProperty("Value")[0].GetString());
        }

        using (var studies = await GetJsonAsync(http, $"studies?PatientID={patientId}"))
        {
            var found = Assert.Single(studies.RootElement.EnumerateArray());
            Assert.Equal(study, First(found, "0020000D").GetString());
            Assert.Equal(patientId, First(found, "00100020").GetString());
            Assert.Equal("Harness^Test", First(found, "00100010").GetProperty("Alphabetic").GetString());
        }

        using (var instances = await GetJsonAsync(http, $"studies/{study}/series/{series}/instances"))
        {
            var found = Assert.Single(instances.RootElement.EnumerateArray());
            Assert.Equal(instance, First(found, "00080018").GetString());
            Assert.Equal(MinimalDicomFile.SecondaryCaptureSopClass, First(found, "00080016").GetString());
        }

        using (var metadata = await GetJsonAsync(http, $"studies/{study}/series/{series}/instances/{instance}/metadata"))
        {
            var item = Assert.Single(metadata.RootElement.EnumerateArray());
            Assert.Equal(2, First(item, "00280010").GetInt32());
            Assert.Equal("MONOCHROME2", First(item, "00280004").GetString());
        }

        using var none = await GetJsonAsync(http, $"studies?PatientID={patientId}-absent");
        Assert.Equal(0, none.RootElement.GetArrayLength());
    }

    [SkippableFact]
    public async Task Bytes_that_are_not_dicom_are_not_stored()
    {
        server.Require();
        using var http = new HttpClient { BaseAddress = new Uri(server.Url.TrimEnd('/') + "/dicom-web/") };

        using var stored = await StowAsync(http, "this is not a DICOM file"u8.ToArray());

        Assert.NotEqual(HttpStatusCode.OK, stored.StatusCode);
    }

    private static async Task<HttpResponseMessage> StowAsync(HttpClient http, byte[] file)
    {
        var boundary = "imagingrepo-" + Guid.NewGuid().ToString("N");
        using var content = new MultipartContent("related", boundary);
        content.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        content.Add(part);
        using var request = new HttpRequestMessage(HttpMethod.Post, "studies") { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        return await http.SendAsync(request);
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/dicom+json"));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }

    private static JsonElement First(JsonElement item, string tag) => item.GetProperty(tag).GetProperty("Value")[0];
}
