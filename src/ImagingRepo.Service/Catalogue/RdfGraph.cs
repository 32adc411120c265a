namespace ImagingRepo.Service.Catalogue;

/// <summary>What an RDF term is.</summary>
internal enum RdfTermKind
{
    Iri,
    BlankNode,
    Literal,
}

/// <summary>
/// An RDF term: an IRI, a blank node (by its label) or a literal with a datatype IRI or a language tag (a plain
/// literal is an <c>xsd:string</c>).
/// </summary>
internal readonly record struct RdfTerm(RdfTermKind Kind, string Value, string? Datatype = null, string? Language = null)
{
    public static RdfTerm Iri(string iri) => new(RdfTermKind.Iri, iri);

    public static RdfTerm Blank(string label) => new(RdfTermKind.BlankNode, label);

    public static RdfTerm Text(string value, string? language = null) => new(RdfTermKind.Literal, value, null, language);

    public static RdfTerm Typed(string value, string datatype) => new(RdfTermKind.Literal, value, datatype);
}

/// <summary>One statement.</summary>
internal readonly record struct RdfTriple(RdfTerm Subject, string Predicate, RdfTerm Object);

/// <summary>
/// A small RDF graph in the order its statements were added, with the prefixes its serializations use. Enough for the
/// DCAT-AP descriptions the service writes; the writers (<see cref="TurtleWriter"/>, <see cref="JsonLdWriter"/>) keep the
/// same triples in both formats.
/// </summary>
internal sealed class RdfGraph
{
    private readonly List<RdfTriple> _triples = [];
    private readonly HashSet<RdfTriple> _seen = [];
    private int _blankNodes;

    /// <summary>Prefix → namespace IRI, in the order the serializations list them.</summary>
    public IReadOnlyList<(string Prefix, string Namespace)> Prefixes { get; init; } = Vocabulary.Prefixes;

    public IReadOnlyList<RdfTriple> Triples => _triples;

    /// <summary>A fresh blank node.</summary>
    public RdfTerm NewBlank() => RdfTerm.Blank("b" + (_blankNodes++).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Adds a statement; one already there is not added twice (a graph is a set).</summary>
    public void Add(RdfTerm subject, string predicate, RdfTerm value)
    {
        var triple = new RdfTriple(subject, predicate, value);
        if (_seen.Add(triple)) _triples.Add(triple);
    }

    public void Add(RdfTerm subject, string predicate, IEnumerable<RdfTerm> values)
    {
        foreach (var value in values) Add(subject, predicate, value);
    }

    /// <summary>Adds a text literal unless it is empty.</summary>
    public void AddText(RdfTerm subject, string predicate, string? text, string? language = null)
    {
        if (!string.IsNullOrWhiteSpace(text)) Add(subject, predicate, RdfTerm.Text(text, language));
    }

    /// <summary>The subjects in order of their first statement, with their statements.</summary>
    public IEnumerable<IGrouping<RdfTerm, RdfTriple>> BySubject() => _triples.GroupBy(t => t.Subject);
}
