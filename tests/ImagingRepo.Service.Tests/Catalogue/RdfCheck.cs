using System.Text.Json;
using ImagingRepo.TestSupport;

namespace ImagingRepo.Service.Tests.Catalogue;

/// <summary>
/// Reads the service's Turtle and JSON-LD back with an independent RDF library (rdflib, Debian's python3-rdflib) and
/// answers the triples of both and whether the two graphs are the same (isomorphic, blank nodes aside).
/// </summary>
internal static class RdfCheck
{
    private const string Script = """
        import json, sys
        from rdflib import Graph, BNode
        from rdflib.compare import isomorphic
        turtle = Graph().parse(data=open(sys.argv[1], encoding="utf-8").read(), format="turtle")
        jsonld = Graph().parse(data=open(sys.argv[2], encoding="utf-8").read(), format="json-ld")
        def term(t):
            if isinstance(t, BNode): return {"kind": "blank"}
            if hasattr(t, "datatype") or hasattr(t, "language"):
                if t.__class__.__name__ == "Literal":
                    return {"kind": "literal", "value": str(t), "datatype": str(t.datatype) if t.datatype else None, "language": t.language}
            return {"kind": "iri", "value": str(t)}
        print(json.dumps({
            "isomorphic": isomorphic(turtle, jsonld),
            "turtleCount": len(turtle), "jsonLdCount": len(jsonld),
            "triples": [[term(s), str(p), term(o)] for s, p, o in turtle],
        }))
        """;

    public static RdfTriples Parse(string turtle, string jsonLd)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : TestEnvironment.Unavailable<string>("python3 (with python3-rdflib)");
        var (probe, _, _) = ProcessRunner.Run(python, "-c", "import rdflib");
        if (probe != 0) TestEnvironment.Unavailable<string>("python3-rdflib");
        var directory = Directory.CreateTempSubdirectory("imagingrepo-rdf-");
        try
        {
            var script = Path.Combine(directory.FullName, "check.py");
            File.WriteAllText(script, Script);
            File.WriteAllText(Path.Combine(directory.FullName, "graph.ttl"), turtle);
            File.WriteAllText(Path.Combine(directory.FullName, "graph.jsonld"), jsonLd);
            var (exit, stdout, stderr) = ProcessRunner.Run(python, script, Path.Combine(directory.FullName, "graph.ttl"), Path.Combine(directory.FullName, "graph.jsonld"));
            Assert.True(exit == 0, "rdflib could not read the graphs: " + stderr);
            var root = JsonDocument.Parse(stdout).RootElement;
            var triples = root.GetProperty("triples").EnumerateArray().Select(t => new RdfTriple(Term(t[0]), t[1].GetString()!, Term(t[2]))).ToList();
            return new RdfTriples(root.GetProperty("isomorphic").GetBoolean(), root.GetProperty("turtleCount").GetInt32(), root.GetProperty("jsonLdCount").GetInt32(), triples);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static RdfValue Term(JsonElement e) => new(
        e.GetProperty("kind").GetString()!,
        e.TryGetProperty("value", out var v) ? v.GetString() : null,
        e.TryGetProperty("datatype", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
        e.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null);
}

internal sealed record RdfValue(string Kind, string? Value, string? Datatype = null, string? Language = null)
{
    public static RdfValue Iri(string iri) => new("iri", iri);

    public static RdfValue Text(string text, string? language = null) => new("literal", text, null, language);

    public static RdfValue Typed(string text, string datatype) => new("literal", text, datatype);
}

internal sealed record RdfTriple(RdfValue Subject, string Predicate, RdfValue Object);

internal sealed record RdfTriples(bool Isomorphic, int TurtleCount, int JsonLdCount, IReadOnlyList<RdfTriple> Triples)
{
    public IEnumerable<RdfValue> Objects(string subject, string predicate) =>
        Triples.Where(t => t.Subject.Kind == "iri" && t.Subject.Value == subject && t.Predicate == predicate).Select(t => t.Object);

    public IEnumerable<RdfValue> ObjectsOfAny(string predicate) => Triples.Where(t => t.Predicate == predicate).Select(t => t.Object);
}
