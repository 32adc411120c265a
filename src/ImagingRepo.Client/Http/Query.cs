using System.Globalization;
using System.Text;

namespace ImagingRepo.Client.Http;

/// <summary>Builds a relative request path with an escaped query; unset values are left out.</summary>
internal sealed class Query
{
    private readonly StringBuilder _text;
    private bool _first = true;

    public Query(string path)
    {
        _text = new StringBuilder(path);
    }

    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        return Uri.EscapeDataString(value);
    }

    public Query Add(string name, string? value)
    {
        if (value is null) return this;
        _text.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        _first = false;
        return this;
    }

    public Query Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public Query Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public Query Add(string name, IEnumerable<string>? values)
    {
        foreach (var value in values ?? []) Add(name, value);
        return this;
    }

    public override string ToString() => _text.ToString();
}
