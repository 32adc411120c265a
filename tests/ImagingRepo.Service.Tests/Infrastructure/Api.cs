using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImagingRepo.Service.Tests.Infrastructure;

/// <summary>Calls the tests make over and over: JSON in and out, a dataset of a few studies, its state read back.</summary>
public static class Api
{
    /// <summary>Sends <paramref name="json"/> (raw text, so that malformed bodies can be sent too).</summary>
    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });

    public static Task<HttpResponseMessage> PatchAsync(this HttpClient client, string datasetId, string property, object? value) =>
        client.SendJsonAsync(HttpMethod.Patch, $"api/datasets/{datasetId}", new JsonObject { ["property"] = property, ["value"] = JsonSerializer.SerializeToNode(value) }.ToJsonString());

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await response.JsonAsync(expected);
    }

    /// <summary>Asserts a problem details answer (RFC 9457) with <paramref name="status"/>; returns its detail.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem.GetProperty("detail").GetString()!;
    }

    /// <summary>The body of a new dataset with <paramref name="studies"/> studies of two subjects each.</summary>
    public static JsonObject NewDataset(string name, string project = "ALPHA", int studies = 2, string? previousId = null)
    {
        var studyList = new JsonArray();
        var subjects = new JsonArray();
        for (var i = 0; i < studies; i++)
        {
            var subject = $"SUBJ-{name.GetHashCode(StringComparison.Ordinal) & 0xFFFF:X4}-{i / 2}";
            studyList.Add(new JsonObject
            {
                ["studyId"] = $"study-{i}",
                ["studyName"] = $"CT{i}",
                ["subjectName"] = subject,
                ["pathInDatalake"] = $"provider/{subject}/CT{i}",
                ["series"] = new JsonArray(new JsonObject { ["folderName"] = "1", ["tags"] = new JsonArray("AXIAL") }),
                ["url"] = $"https://explorer.example/studies/{i}?user=<USER>",
            });
            if (i % 2 == 0) subjects.Add(new JsonObject { ["subjectName"] = subject, ["subjectId"] = $"id{i}", ["eForm"] = new JsonObject { ["age"] = 60 + i } });
        }

        var body = new JsonObject
        {
            ["name"] = name,
            ["version"] = "1",
            ["project"] = project,
            ["description"] = "A test dataset.",
            ["type"] = new JsonArray("original"),
            ["collectionMethod"] = new JsonArray("cohort"),
            ["studies"] = studyList,
            ["subjects"] = subjects,
        };
        if (previousId is not null) body["previousId"] = previousId;
        return body;
    }

    /// <summary>Creates a dataset as <paramref name="client"/>'s persona; returns its id.</summary>
    public static async Task<string> CreateDatasetAsync(this HttpClient client, JsonObject body)
    {
        using var response = await client.SendJsonAsync(HttpMethod.Post, "api/datasets", body.ToJsonString());
        var created = await response.JsonAsync(HttpStatusCode.Created);
        var apiUrl = created.GetProperty("apiUrl").GetString()!;
        Assert.Equal(apiUrl, response.Headers.Location?.OriginalString);
        return apiUrl[(apiUrl.LastIndexOf('/') + 1)..];
    }

    public static Task<string> CreateDatasetAsync(this HttpClient client, string name, string project = "ALPHA", int studies = 2) =>
        client.CreateDatasetAsync(NewDataset(name, project, studies));

    /// <summary>Asserts a call succeeded with <paramref name="expected"/>.</summary>
    public static async Task ExpectAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {text}");
    }

    /// <summary>A name no other test run uses.</summary>
    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..8]}";
}
