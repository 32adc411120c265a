using System.Globalization;
using System.Text;

namespace ImagingRepo.Service.Catalogue;

/// <summary>
/// Writes an <see cref="RdfGraph"/> as Turtle (W3C RDF 1.1 Turtle): the prefixes, then each subject with its
/// predicates and objects. Prefixed names only where the local part is a plain name; every other IRI in angle brackets
/// with the characters IRIREF forbids written as \u escapes; literals in double quotes with ECHAR / UCHAR escapes.
/// </summary>
internal static class TurtleWriter
{
    public const string MediaType = "text/turtle";

    public static string Write(RdfGraph graph)
    {
        var text = new StringBuilder();
        foreach (var (prefix, ns) in graph.Prefixes) text.Append("@prefix ").Append(prefix).Append(": <").Append(EscapeIri(ns)).Append("> .\n");
        foreach (var subject in graph.BySubject())
        {
            text.Append('\n').Append(Term(graph, subject.Key));
            var predicates = subject.GroupBy(t => t.Predicate).ToList();
            for (var p = 0; p < predicates.Count; p++)
            {
                text.Append(p == 0 ? "\n    " : " ;\n    ");
                text.Append(predicates[p].Key == Vocabulary.RdfType ? "a" : Iri(graph, predicates[p].Key)).Append(' ');
                text.AppendJoin(", ", predicates[p].Select(t => Term(graph, t.Object)));
            }

            text.Append(" .\n");
        }

        return text.ToString();
    }

    private static string Term(RdfGraph graph, RdfTerm term) => term.Kind switch
    {
        RdfTermKind.Iri => Iri(graph, term.Value),
        RdfTermKind.BlankNode => "_:" + term.Value,
        _ => Literal(graph, term),
    };

    private static string Literal(RdfGraph graph, RdfTerm literal)
    {
        var text = new StringBuilder("\"");
        foreach (var rune in literal.Value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < 0x20 or 0x7F: text.Append("\\u").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture)); break;
                default: text.Append(rune.ToString()); break;
            }
        }

        text.Append('"');
        if (literal.Language is { } language) text.Append('@').Append(language);
        else if (literal.Datatype is { } datatype && datatype != Vocabulary.Xsd + "string") text.Append("^^").Append(Iri(graph, datatype));
        return text.ToString();
    }

    /// <summary>A prefixed name where one fits, else the IRI in angle brackets.</summary>
    internal static string Iri(RdfGraph graph, string iri)
    {
        foreach (var (prefix, ns) in graph.Prefixes)
        {
            if (iri.Length > ns.Length && iri.StartsWith(ns, StringComparison.Ordinal) && IsPlainName(iri.AsSpan(ns.Length))) return prefix + ":" + iri[ns.Length..];
        }

        return "<" + EscapeIri(iri) + ">";
    }

    private static bool IsPlainName(ReadOnlySpan<char> local)
    {
        if (!char.IsAsciiLetter(local[0]) && local[0] != '_') return false;
        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '_' and not '-') return false;
        }

        return true;
    }

    private static string EscapeIri(string iri)
    {
        var text = new StringBuilder(iri.Length);
        foreach (var rune in iri.EnumerateRunes())
        {
            if (rune.Value <= 0x20 || rune.Value is '<' or '>' or '"' or '{' or '}' or '|' or '^' or '`' or '\\')
            {
                text.Append("\\u").Append(rune.Value.ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(rune.ToString());
            }
        }

        return text.ToString();
    }
}
