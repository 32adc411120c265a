using System.Text;
using ImagingRepo.Service.Catalogue;

namespace ImagingRepo.Service.Tests.Catalogue;

/// <summary>
/// The Turtle and JSON-LD writers on the characters that need escaping: rdflib reads both back to the same graph and
/// every literal to exactly the text that went in.
/// </summary>
public sealed class RdfWritersTests
{
    [SkippableFact]
    public void Quotes_backslashes_controls_and_non_ascii_text_survive_both_serializations()
    {
        string[] texts =
        [
            "plain", "with \"quotes\" and 'apostrophes'", "back\\slash \\u0041 not an escape", "line\nbreak\r\nand\ttab",
            "control \u0001 and delete \u007F", "ünïcödé, 漢字 and an emoji 🩻", "ends with a quote\"", "   spaces   ", "@prefix x: <y> .",
        ];
        var graph = new RdfGraph();
        var subject = RdfTerm.Iri("http://example.org/datasets/a?skip=0&limit=2#part");
        for (var i = 0; i < texts.Length; i++) graph.Add(subject, Vocabulary.Dct + "description", RdfTerm.Text(texts[i], i % 2 == 0 ? "en" : null));
        graph.Add(subject, Vocabulary.Dct + "has.dot", RdfTerm.Typed("42", Vocabulary.Xsd + "nonNegativeInteger"));
        graph.Add(subject, "http://example.org/other-vocabulary/term", RdfTerm.Iri("mailto:someone@example.org"));
        var blank = graph.NewBlank();
        graph.Add(subject, Vocabulary.Dcat + "distribution", blank);
        graph.Add(blank, Vocabulary.RdfType, RdfTerm.Iri(Vocabulary.Dcat + "Distribution"));

        var turtle = TurtleWriter.Write(graph);
        var jsonLd = Encoding.UTF8.GetString(JsonLdWriter.Write(graph));
        var rdf = RdfCheck.Parse(turtle, jsonLd);

        Assert.True(rdf.Isomorphic, $"Turtle ({rdf.TurtleCount}) and JSON-LD ({rdf.JsonLdCount}) differ:\n{turtle}\n{jsonLd}");
        Assert.Equal(graph.Triples.Count, rdf.TurtleCount);
        Assert.Equal(texts.Order(StringComparer.Ordinal), rdf.Objects(subject.Value, Vocabulary.Dct + "description").Select(o => o.Value!).Order(StringComparer.Ordinal));
        Assert.Equal([RdfValue.Text(texts[0], "en")], rdf.Objects(subject.Value, Vocabulary.Dct + "description").Where(o => o.Value == texts[0]));
        Assert.Equal([RdfValue.Typed("42", Vocabulary.Xsd + "nonNegativeInteger")], rdf.Objects(subject.Value, Vocabulary.Dct + "has.dot"));
        Assert.Contains("<http://purl.org/dc/terms/has.dot>", turtle, StringComparison.Ordinal); // not a plain local name: written in full
    }
}
