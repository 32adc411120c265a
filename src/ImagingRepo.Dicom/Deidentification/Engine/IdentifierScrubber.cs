namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// The "clean" of free text: every identifying value the profile removes or replaces elsewhere in the same
/// instance (names and their components, IDs, accession numbers, dates in common spellings, institutions)
/// is blanked wherever it occurs in the text. Best effort by design: text that names a person the instance
/// does not name elsewhere is not recognised (the documentation says so).
/// </summary>
internal sealed class IdentifierScrubber
{
    private const int MinimumLength = 3;
    private readonly HashSet<string> _identifiers = new(StringComparer.OrdinalIgnoreCase);
    private string[]? _ordered;

    public int Count => _identifiers.Count;

    /// <summary>Adds a value the profile treats as identifying; person names also add their components.</summary>
    public void Add(string? value, bool isPersonName = false, bool isDate = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        foreach (var part in value.Split('\\'))
        {
            var trimmed = part.Trim(' ', '\0');
            AddOne(trimmed);
            if (isPersonName)
            {
                foreach (var component in trimmed.Split('^', '=', ' ', ','))
                {
                    AddOne(component);
                }
            }

            if (isDate && trimmed.Length == 8 && trimmed.All(char.IsAsciiDigit))
            {
                var (y, m, d) = (trimmed[..4], trimmed[4..6], trimmed[6..]);
                AddOne($"{y}-{m}-{d}");
                AddOne($"{d}/{m}/{y}");
                AddOne($"{m}/{d}/{y}");
                AddOne($"{d}.{m}.{y}");
                AddOne($"{y}/{m}/{d}");
            }
        }
    }

    /// <summary>The text with every known identifier replaced by asterisks of the same length.</summary>
    public string Clean(string text)
    {
        if (_identifiers.Count == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        // longest first, so "SMITH^JOHN" is blanked before "SMITH"
        _ordered ??= [.. _identifiers.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
        char[]? buffer = null;
        foreach (var identifier in _ordered)
        {
            var source = buffer is null ? text.AsSpan() : buffer;
            var at = source.IndexOf(identifier, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                buffer ??= text.ToCharArray();
                buffer.AsSpan(at, identifier.Length).Fill('*');
                var next = buffer.AsSpan(at + identifier.Length).IndexOf(identifier, StringComparison.OrdinalIgnoreCase);
                at = next < 0 ? -1 : at + identifier.Length + next;
            }
        }

        return buffer is null ? text : new string(buffer);
    }

    private void AddOne(string value)
    {
        if (value.Length >= MinimumLength && _identifiers.Add(value))
        {
            _ordered = null;
        }
    }
}
