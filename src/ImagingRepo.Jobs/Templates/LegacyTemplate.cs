using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using YamlDotNet.Core;

namespace ImagingRepo.Jobs.Templates;

/// <summary>
/// A PRIMAGE-style YAML template with <c>#name#</c> placeholders (e.g. <c>#batch_job_name#</c>,
/// <c>#namespace_name#</c>, <c>#docker_image#</c>, <c>#command_line_arguments#</c>). Values are substituted safely:
/// a placeholder that is a whole scalar becomes a double-quoted YAML string (a list value becomes a flow sequence),
/// one inside a quoted scalar is escaped for that quoting style, and one embedded in a plain scalar only accepts
/// characters that cannot change the YAML structure. Unfilled and unknown placeholders are refused, and the result
/// is parsed strictly (unknown fields are errors) into KubernetesClient models.
/// </summary>
public sealed class LegacyTemplate
{
    private readonly string _text;
    private readonly List<Occurrence> _occurrences;

    private LegacyTemplate(string text, List<Occurrence> occurrences)
    {
        _text = text;
        _occurrences = occurrences;
    }

    /// <summary>The placeholder names the template uses, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders => _occurrences.Select(o => o.Name).Distinct(StringComparer.Ordinal).ToArray();

    private enum Context
    {
        WholeScalar,
        DoubleQuoted,
        SingleQuoted,
        Embedded,
    }

    private sealed record Occurrence(string Name, int Start, int Length, int Line, Context Context);

    /// <summary>Parses the template's placeholders.</summary>
    /// <param name="text">The YAML template.</param>
    /// <exception cref="JobsValidationException">The template is empty or too large.</exception>
    public static LegacyTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new JobsValidationException("template", "is empty");
        }

        if (text.Length > 1 << 20)
        {
            throw new JobsValidationException("template", "is larger than 1 MiB");
        }

        var occurrences = new List<Occurrence>();
        int line = 1;
        int lineStart = 0;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                quote = '\0';
                continue;
            }

            if (quote == '\0' && c is '"' or '\'' && (i == lineStart || text[i - 1] is ' ' or '[' or ',' or '{' or ':'))
            {
                quote = c;
                continue;
            }

            if (quote == '"' && c == '\\')
            {
                i++;
                continue;
            }

            if (quote != '\0' && c == quote)
            {
                quote = '\0';
                continue;
            }

            if (c != '#' || !TryReadPlaceholder(text, i, out int length))
            {
                // A '#' after whitespace that is not a placeholder starts a comment: skip to the end of the line.
                if (c == '#' && quote == '\0' && (i == lineStart || text[i - 1] is ' ' or '\t'))
                {
                    int end = text.IndexOf('\n', i);
                    i = (end < 0 ? text.Length : end) - 1;
                }

                continue;
            }

            string name = text.Substring(i + 1, length - 2);
            var context = quote switch
            {
                '"' => Context.DoubleQuoted,
                '\'' => Context.SingleQuoted,
                _ => IsWholeScalar(text, i, length, lineStart) ? Context.WholeScalar : Context.Embedded,
            };
            occurrences.Add(new Occurrence(name, i, length, line, context));
            i += length - 1;
        }

        return new LegacyTemplate(text, occurrences);
    }

    /// <summary>Substitutes <paramref name="values"/> and returns the resulting YAML text.</summary>
    /// <param name="values">Placeholder values: a <see cref="string"/>, or a list of strings (e.g. command-line arguments).</param>
    /// <exception cref="JobsValidationException">A placeholder is unfilled, a value is for an unknown placeholder, or a value is unsafe where it goes.</exception>
    public string Substitute(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (string key in values.Keys)
        {
            if (!_occurrences.Exists(o => o.Name == key))
            {
                throw new JobsValidationException($"#{key}#", $"is not a placeholder of this template (it has: {string.Join(", ", Placeholders.Select(p => $"#{p}#"))})");
            }
        }

        var unfilled = _occurrences.Where(o => !values.ContainsKey(o.Name)).ToList();
        if (unfilled.Count > 0)
        {
            throw new JobsValidationException($"#{unfilled[0].Name}#",
                "placeholder left unfilled (line " + string.Join(", ", unfilled.Select(o => o.Line)) + ")");
        }

        var builder = new StringBuilder(_text.Length + 256);
        int position = 0;
        foreach (var occurrence in _occurrences)
        {
            builder.Append(_text, position, occurrence.Start - position);
            builder.Append(Render(occurrence, values[occurrence.Name]));
            position = occurrence.Start + occurrence.Length;
        }

        builder.Append(_text, position, _text.Length - position);
        return builder.ToString();
    }

    /// <summary>Substitutes the values and parses the result strictly into KubernetesClient models.</summary>
    /// <param name="values">Placeholder values.</param>
    /// <exception cref="JobsValidationException">Substitution failed, or the YAML has an unknown field, kind or syntax error.</exception>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Render(IReadOnlyDictionary<string, object> values) => ParseManifests(Substitute(values));

    /// <summary>Parses a multi-document manifest strictly (unknown fields and kinds are errors).</summary>
    /// <param name="yaml">The YAML.</param>
    /// <exception cref="JobsValidationException">The YAML has an unknown field, kind or syntax error.</exception>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> ParseManifests(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        List<object> objects;
        try
        {
            objects = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
        }
        catch (YamlException e)
        {
            throw new JobsValidationException($"manifest (line {e.Start.Line}, column {e.Start.Column})", Describe(e), e);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            throw new JobsValidationException("manifest", e.Message, e);
        }

        var result = new List<IKubernetesObject<V1ObjectMeta>>(objects.Count);
        for (int i = 0; i < objects.Count; i++)
        {
            if (objects[i] is not IKubernetesObject<V1ObjectMeta> typed)
            {
                throw new JobsValidationException($"manifest document {i + 1}", $"{objects[i]?.GetType().Name ?? "null"} is not a Kubernetes object with metadata");
            }

            result.Add(typed);
        }

        return result;
    }

    private static string Describe(YamlException e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (!string.IsNullOrEmpty(x.Message) && !messages.Contains(x.Message))
            {
                messages.Add(x.Message);
            }
        }

        return string.Join(" -> ", messages);
    }

    private static string Render(Occurrence occurrence, object value)
    {
        string field = $"#{occurrence.Name}#";
        if (value is IEnumerable<string> list && value is not string)
        {
            if (occurrence.Context != Context.WholeScalar)
            {
                throw new JobsValidationException(field, "a list value can only fill a placeholder that is a whole YAML value");
            }

            return "[" + string.Join(", ", list.Select(JsonQuoted)) + "]";
        }

        if (value is not string text)
        {
            throw new JobsValidationException(field, $"values must be strings or lists of strings, not {value?.GetType().Name ?? "null"}");
        }

        foreach (char c in text)
        {
            if (char.IsControl(c) && c is not '\n' and not '\t')
            {
                throw new JobsValidationException(field, "contains control characters");
            }
        }

        switch (occurrence.Context)
        {
            case Context.WholeScalar:
                return JsonQuoted(text);
            case Context.DoubleQuoted:
                string quoted = JsonQuoted(text);
                return quoted[1..^1];
            case Context.SingleQuoted:
                if (text.Contains('\n', StringComparison.Ordinal))
                {
                    throw new JobsValidationException(field, "a line break cannot go inside a single-quoted YAML value");
                }

                return text.Replace("'", "''", StringComparison.Ordinal);
            default:
                foreach (char c in text)
                {
                    if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '@' or '+' or '='))
                    {
                        throw new JobsValidationException(field,
                            $"'{text}' contains '{c}', which is not allowed where the placeholder is part of a larger unquoted value");
                    }
                }

                return text;
        }
    }

    // JSON strings are valid YAML double-quoted scalars; escape everything non-ASCII-printable.
    private static string JsonQuoted(string text) => JsonSerializer.Serialize(text);

    private static bool TryReadPlaceholder(string text, int start, out int length)
    {
        int i = start + 1;
        while (i < text.Length && (char.IsAsciiLetterLower(text[i]) || char.IsAsciiLetterUpper(text[i]) || char.IsAsciiDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        bool ok = i < text.Length && i > start + 1 && text[i] == '#' && !char.IsAsciiDigit(text[start + 1]);
        length = ok ? i - start + 1 : 0;
        return ok;
    }

    private static bool IsWholeScalar(string text, int start, int length, int lineStart)
    {
        int before = start - 1;
        while (before >= lineStart && text[before] is ' ' or '\t')
        {
            before--;
        }

        // "key: #x#", "- #x#" and flow "[#x#, #y#]"; but not "prefix-#x#" or "a:#x#" (part of a larger scalar).
        bool spaced = before < start - 1;
        bool openOk = before < lineStart || text[before] is '[' or ',' || (spaced && text[before] is ':' or '-');
        int after = start + length;
        while (after < text.Length && text[after] is ' ' or '\t')
        {
            after++;
        }

        bool closeOk = after >= text.Length || text[after] is '\n' or '\r' or ']' or ',' || (text[after] == '#' && after > start + length);
        return openOk && closeOk;
    }
}
