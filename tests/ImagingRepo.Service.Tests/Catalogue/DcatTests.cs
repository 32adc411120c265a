using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Tests.Infrastructure;

namespace ImagingRepo.Service.Tests.Catalogue;

/// <summary>
/// Published datasets in EUCAIM DCAT-AP / HealthDCAT-AP: <c>GET /api/datasets/{id}</c> with Accept JSON-LD or Turtle,
/// and <c>GET /api/catalogue</c> paged. Both serializations are read back with rdflib and must hold the same triples;
/// drafts, unpublished and invalidated datasets never appear; following the next links walks every published dataset.
/// </summary>
public sealed class DcatTests(DevelopmentServiceFixture fixture) : IClassFixture<DevelopmentServiceFixture>
{
    private const string Dcat = "http://www.w3.org/ns/dcat#";
    private const string Dct = "http://purl.org/dc/terms/";
    private const string Health = "http://healthdataportal.eu/ns/health#";
    private const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    private const string RdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    private const string Hydra = "http://www.w3.org/ns/hydra/core#";

    [SkippableFact]
    public async Task A_published_dataset_answers_in_json_ld_and_turtle_with_the_same_dcat_ap_triples()
    {
        fixture.Require();
        using var admin = await ProjectAsync();
        var name = "Lung CT \"pilot\" ü " + Guid.NewGuid().ToString("N")[..6];
        var id = await PublishedAsync(admin, name);
        await admin.PatchAsync(id, "tags", new[] { "lung", "CT-scan" }).ExpectAsync(HttpStatusCode.NoContent);
        await admin.PatchAsync(id, "pids", new { preferred = "custom", urls = new { custom = "https://example.org/datasets/ct-pilot" } }).ExpectAsync(HttpStatusCode.NoContent);

        var (jsonLd, jsonLdType) = await GetAsync(admin, $"api/datasets/{id}", "application/ld+json");
        Assert.Equal("application/ld+json", jsonLdType);
        var (turtle, turtleType) = await GetAsync(admin, $"api/datasets/{id}", "text/turtle");
        Assert.Equal("text/turtle", turtleType);
        // JSON is still the default, and what a JSON client prefers.
        var (json, jsonType) = await GetAsync(admin, $"api/datasets/{id}", "application/json, text/turtle;q=0.5");
        Assert.Equal("application/json", jsonType);
        Assert.Equal(id, JsonDocument.Parse(json).RootElement.GetProperty("id").GetString());

        // The compacted JSON-LD as written: a context of prefixes and the dataset node in the graph.
        var document = JsonNode.Parse(jsonLd)!;
        Assert.Equal(Dcat, document["@context"]!["dcat"]!.GetValue<string>());
        var iri = new Uri(fixture.BaseAddress, $"api/datasets/{id}").AbsoluteUri;
        var node = document["@graph"]!.AsArray().Single(n => n!["@id"]!.GetValue<string>() == iri)!;
        Assert.Contains("dcat:Dataset", node["@type"]!.AsArray().Select(t => t!.GetValue<string>()));

        var rdf = RdfCheck.Parse(turtle, jsonLd);
        Assert.True(rdf.Isomorphic, $"Turtle ({rdf.TurtleCount} triples) and JSON-LD ({rdf.JsonLdCount}) differ:\n{turtle}\n{jsonLd}");
        Assert.Contains(RdfValue.Iri(Dcat + "Dataset"), rdf.Objects(iri, RdfType));
        Assert.Equal([RdfValue.Text(id)], rdf.Objects(iri, Dct + "identifier"));
        Assert.Equal([RdfValue.Text(name, "en")], rdf.Objects(iri, Dct + "title"));
        Assert.Equal([RdfValue.Text("A test dataset.", "en")], rdf.Objects(iri, Dct + "description"));
        Assert.Equal(["CT-scan", "lung"], rdf.Objects(iri, Dcat + "keyword").Select(k => k.Value!).Order(StringComparer.Ordinal));
        Assert.Equal([RdfValue.Typed("2", Xsd + "nonNegativeInteger")], rdf.Objects(iri, Health + "numberOfRecords"));
        Assert.Equal([RdfValue.Typed("1", Xsd + "nonNegativeInteger")], rdf.Objects(iri, Health + "numberOfUniqueIndividuals"));
        Assert.Equal([RdfValue.Iri("https://creativecommons.org/licenses/by/4.0/")], rdf.Objects(iri, Dct + "license"));
        Assert.Equal([RdfValue.Iri("http://publications.europa.eu/resource/authority/access-right/RESTRICTED")], rdf.Objects(iri, Dct + "accessRights"));
        Assert.Equal([RdfValue.Iri("http://data.europa.eu/eli/reg/2025/327/oj")], rdf.Objects(iri, "http://data.europa.eu/r5r/applicableLegislation"));
        Assert.Equal([RdfValue.Iri(new Uri(fixture.BaseAddress, $"web/datasets/{id}/details").AbsoluteUri)], rdf.Objects(iri, Dcat + "landingPage"));
        var publisher = Assert.Single(rdf.Objects(iri, Dct + "publisher"));
        Assert.Equal([RdfValue.Text("FAIR catalogue project")], rdf.Objects(publisher.Value!, "http://xmlns.com/foaf/0.1/name"));
        Assert.Single(rdf.Objects(iri, Dcat + "contactPoint"));
        Assert.Contains(RdfValue.Iri("mailto:fair@example.org"), rdf.ObjectsOfAny("http://www.w3.org/2006/vcard/ns#hasEmail"));
        Assert.Contains(RdfValue.Typed("https://example.org/datasets/ct-pilot", Xsd + "anyURI"), rdf.ObjectsOfAny("http://www.w3.org/2004/02/skos/core#notation"));
        Assert.Single(rdf.Objects(iri, Dcat + "distribution"));
        Assert.Single(rdf.Objects(iri, "http://www.w3.org/ns/adms#identifier"));
    }

    [SkippableFact]
    public async Task Drafts_unpublished_and_invalidated_datasets_have_no_description_and_are_not_in_the_catalogue()
    {
        fixture.Require();
        using var admin = await ProjectAsync();
        var draft = await admin.CreateDatasetAsync(Api.NewDataset(Api.Unique("Draft"), "FAIR"));
        var released = await admin.CreateDatasetAsync(Api.NewDataset(Api.Unique("Released"), "FAIR"));
        await admin.PatchAsync(released, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        var invalidated = await PublishedAsync(admin, Api.Unique("Invalidated"));
        await admin.PatchAsync(invalidated, "invalidated", true).ExpectAsync(HttpStatusCode.NoContent);
        var unpublished = await PublishedAsync(admin, Api.Unique("Unpublished"));
        await admin.PatchAsync(unpublished, "public", false).ExpectAsync(HttpStatusCode.NoContent);

        foreach (var id in new[] { draft, released, invalidated, unpublished })
        {
            foreach (var accept in new[] { "text/turtle", "application/ld+json" })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"api/datasets/{id}");
                request.Headers.Accept.ParseAdd(accept);
                await (await admin.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
            }
        }

        var listed = await WalkAsync(admin, 3);
        Assert.DoesNotContain(listed, iri => new[] { draft, released, invalidated, unpublished }.Any(id => iri.EndsWith("/" + id, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task The_catalogue_pages_walk_every_published_dataset_once_in_json_ld_and_turtle()
    {
        fixture.Require();
        using var admin = await ProjectAsync();
        var published = new List<string>();
        for (var i = 0; i < 5; i++) published.Add(await PublishedAsync(admin, Api.Unique($"Catalogued {i}")));

        var listed = await WalkAsync(admin, 2);
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
        foreach (var id in published) Assert.Contains(new Uri(fixture.BaseAddress, $"api/datasets/{id}").AbsoluteUri, listed);

        // Each page in Turtle holds the same triples as in JSON-LD, and anonymous harvesters may read it.
        using var anonymous = fixture.Client(null);
        var (jsonLd, _) = await GetAsync(anonymous, "api/catalogue?skip=0&limit=2", "application/ld+json");
        var (turtle, _) = await GetAsync(anonymous, "api/catalogue?skip=0&limit=2", "text/turtle");
        var rdf = RdfCheck.Parse(turtle, jsonLd);
        Assert.True(rdf.Isomorphic, $"Turtle ({rdf.TurtleCount} triples) and JSON-LD ({rdf.JsonLdCount}) differ");
        var catalogue = new Uri(fixture.BaseAddress, "api/catalogue").AbsoluteUri;
        Assert.Contains(RdfValue.Iri(Dcat + "Catalog"), rdf.Objects(catalogue, RdfType));
        Assert.Equal(2, rdf.Objects(catalogue, Dcat + "dataset").Count());
        Assert.Equal([RdfValue.Typed(listed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Xsd + "nonNegativeInteger")],
            rdf.Objects(catalogue, Hydra + "totalItems"));

        await (await anonymous.GetAsync("api/catalogue?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await anonymous.GetAsync("api/catalogue?skip=-1")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    /// <summary>Follows the catalogue's next links (JSON-LD <c>hydra:next</c>, checked against the Link header) from the first page.</summary>
    private async Task<List<string>> WalkAsync(HttpClient client, int limit)
    {
        var listed = new List<string>();
        string? next = $"api/catalogue?limit={limit}";
        for (var pages = 0; next is not null; pages++)
        {
            Assert.True(pages < 1000, "the catalogue's next links do not end");
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Accept.ParseAdd("application/ld+json");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            var graph = JsonNode.Parse(text)!["@graph"]!.AsArray();
            var catalogue = graph.Single(n => n!["@type"]?.AsArray().Any(t => t!.GetValue<string>() == "dcat:Catalog") == true)!;
            var datasets = catalogue["dcat:dataset"]?.AsArray().Select(d => d!["@id"]!.GetValue<string>()).ToList() ?? [];
            Assert.True(datasets.Count <= limit);
            listed.AddRange(datasets);
            var view = graph.Single(n => n!["@type"]?.AsArray().Any(t => t!.GetValue<string>() == "hydra:PartialCollectionView") == true)!;
            next = view["hydra:next"]?[0]?["@id"]?.GetValue<string>();
            var linkNext = response.Headers.TryGetValues("Link", out var links)
                ? links.SelectMany(l => l.Split(", ")).FirstOrDefault(l => l.EndsWith("rel=\"next\"", StringComparison.Ordinal))
                : null;
            Assert.Equal(next is null, linkNext is null);
            if (next is not null) Assert.StartsWith($"<{next}>", linkNext, StringComparison.Ordinal);
        }

        return listed;
    }

    private static async Task<(string Body, string? MediaType)> GetAsync(HttpClient client, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var value in accept.Split(", ")) request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(value));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} ({accept}): {(int)response.StatusCode} {body}");
        Assert.Contains("Accept", response.Headers.Vary);
        return (body, response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<HttpClient> ProjectAsync()
    {
        var admin = fixture.Client("fair-admin", "admin_projects,admin_datasets,superadmin_datasets", "PROJECT-FAIR");
        var config = new JsonObject
        {
            ["defaultContactInfo"] = "FAIR team (fair@example.org)",
            ["defaultLicense"] = new JsonObject { ["title"] = "CC BY 4.0", ["url"] = "https://creativecommons.org/licenses/by/4.0/" },
        };
        var project = new JsonObject { ["name"] = "FAIR catalogue project", ["shortDescription"] = "", ["projectConfig"] = config };
        using var response = await admin.SendJsonAsync(HttpMethod.Put, "api/projects/FAIR", project.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return admin;
    }

    private static async Task<string> PublishedAsync(HttpClient admin, string name)
    {
        var id = await admin.CreateDatasetAsync(Api.NewDataset(name, "FAIR"));
        await admin.PatchAsync(id, "draft", false).ExpectAsync(HttpStatusCode.NoContent);
        await admin.PatchAsync(id, "public", true).ExpectAsync(HttpStatusCode.NoContent);
        return id;
    }
}
