using System.Text.Json;

namespace ImagingRepo.Service.Catalogue;

/// <summary>
/// Writes an <see cref="RdfGraph"/> as JSON-LD in flattened form: a <c>@context</c> of the graph's prefixes and a
/// <c>@graph</c> with one node object per subject; every value in an array, literals as value objects (<c>@value</c>
/// with <c>@type</c> or <c>@language</c>), references as <c>{"@id": …}</c>. Expanding it gives the same triples as the
/// Turtle of the same graph.
/// </summary>
internal static class JsonLdWriter
{
    public const string MediaType = "application/ld+json";

    public static byte[] Write(RdfGraph graph)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("@context");
            foreach (var (prefix, ns) in graph.Prefixes) json.WriteString(prefix, ns);
            json.WriteEndObject();
            json.WriteStartArray("@graph");
            foreach (var subject in graph.BySubject())
            {
                json.WriteStartObject();
                json.WriteString("@id", Id(subject.Key));
                foreach (var predicate in subject.GroupBy(t => t.Predicate))
                {
                    if (predicate.Key == Vocabulary.RdfType && predicate.All(t => t.Object.Kind == RdfTermKind.Iri))
                    {
                        json.WriteStartArray("@type");
                        foreach (var t in predicate) json.WriteStringValue(Compact(graph, t.Object.Value));
                        json.WriteEndArray();
                        continue;
                    }

                    json.WriteStartArray(Compact(graph, predicate.Key));
                    foreach (var t in predicate) WriteValue(json, graph, t.Object);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteValue(Utf8JsonWriter json, RdfGraph graph, RdfTerm value)
    {
        json.WriteStartObject();
        if (value.Kind == RdfTermKind.Literal)
        {
            json.WriteString("@value", value.Value);
            if (value.Language is { } language) json.WriteString("@language", language);
            else if (value.Datatype is { } datatype && datatype != Vocabulary.Xsd + "string") json.WriteString("@type", Compact(graph, datatype));
        }
        else
        {
            json.WriteString("@id", Id(value));
        }

        json.WriteEndObject();
    }

    /// <summary>Node ids stay absolute IRIs (or blank node labels), so no base or vocabulary rule can change them.</summary>
    private static string Id(RdfTerm term) => term.Kind == RdfTermKind.BlankNode ? "_:" + term.Value : term.Value;

    /// <summary>A compact IRI (prefix:local) for keys and types where a prefix fits, else the IRI itself.</summary>
    private static string Compact(RdfGraph graph, string iri)
    {
        foreach (var (prefix, ns) in graph.Prefixes)
        {
            if (iri.Length > ns.Length && iri.StartsWith(ns, StringComparison.Ordinal) && !iri.AsSpan(ns.Length).StartsWith("//", StringComparison.Ordinal)) return prefix + ":" + iri[ns.Length..];
        }

        return iri;
    }
}
