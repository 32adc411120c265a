using System.Globalization;
using System.Text.Json;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Compatibility;

/// <summary>
/// A JSON object of a tracer's answer or request, read field by field with its path (<c>traces[0].trace.</c>) so that
/// every error names where it is. Unknown fields are ignored: the tracers add fields over time.
/// </summary>
internal readonly struct WireObject
{
    private readonly JsonElement _element;
    private readonly string _path;

    private WireObject(JsonElement element, string path)
    {
        _element = element;
        _path = path;
    }

    /// <summary>Parses a whole document and reads it with <paramref name="read"/>; every parse error becomes a <see cref="TraceFormatException"/>.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json, int maxBytes, string what, Func<JsonElement, T> read)
    {
        if (utf8Json.Length > maxBytes) throw new TraceFormatException($"{what}: {utf8Json.Length} bytes; at most {maxBytes} are accepted");
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) throw new TraceFormatException($"{what}: more than one JSON value");
            return read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new TraceFormatException($"{what}: invalid JSON ({e.Message})", e);
        }
    }

    /// <summary>The element as an object; null JSON and other kinds are format errors.</summary>
    public static WireObject Of(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? new WireObject(element, path.Length == 0 ? "" : path + ".")
            : throw new TraceFormatException($"{(path.Length == 0 ? "document" : path)}: expected an object, got {Describe(element)}");

    public TraceFormatException Error(string name, string message) => new($"{_path}{name}: {message}");

    /// <summary>Refuses fields other than <paramref name="allowed"/> (the v2 service's requests forbid extra fields).</summary>
    public void RefuseOtherThan(string[] allowed)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (Array.IndexOf(allowed, property.Name) < 0) throw Error(property.Name, "not a field of this request");
        }
    }

    public bool Has(string name) => _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string? OptionalString(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error(name, $"expected a string, got {Describe(value)}");
    }

    public string RequiredString(string name)
    {
        var value = OptionalString(name);
        return string.IsNullOrEmpty(value) ? throw Error(name, "required") : value;
    }

    public IReadOnlyList<string>? OptionalStrings(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array) throw Error(name, $"expected an array, got {Describe(value)}");
        var list = new List<string>(value.GetArrayLength());
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error($"{name}[{i}]", $"expected a string, got {Describe(item)}"));
            i++;
        }

        return list;
    }

    public IReadOnlyList<string> RequiredStrings(string name) => OptionalStrings(name) ?? throw Error(name, "required");

    /// <summary>The items of an array property: each an object, or null where the JSON has null.</summary>
    public IReadOnlyList<WireObject?>? OptionalObjects(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array) throw Error(name, $"expected an array, got {Describe(value)}");
        var list = new List<WireObject?>(value.GetArrayLength());
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            list.Add(item.ValueKind == JsonValueKind.Null ? null : Of(item, $"{_path}{name}[{i}]"));
            i++;
        }

        return list;
    }

    /// <summary>The objects of a required array; a null item is an error.</summary>
    public IReadOnlyList<WireObject> RequiredObjects(string name)
    {
        var items = OptionalObjects(name) ?? throw Error(name, "required (the array is missing or null)");
        var list = new List<WireObject>(items.Count);
        for (var i = 0; i < items.Count; i++) list.Add(items[i] ?? throw Error($"{name}[{i}]", "expected an object, got null"));
        return list;
    }

    public WireObject? OptionalObject(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Of(value, _path + name) : null;

    public long RequiredInt64(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(name, "required");
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw Error(name, $"expected an integer, got {Describe(value)}");
    }

    public int RequiredInt32(string name)
    {
        var value = RequiredInt64(name);
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error(name, "out of range");
    }

    /// <summary>
    /// A point in time as milliseconds since the Unix epoch, given as a number or a string of epoch milliseconds (as the
    /// CHAIMELEON tracer stores it) or as an ISO-8601 date-time (its lists and the v2 service; UTC when no offset is given).
    /// </summary>
    public long RequiredTimestamp(string name)
    {
        if (!_element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Error(name, "required");
        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.TryGetInt64(out var ms) ? ms : throw Error(name, "expected whole milliseconds since the Unix epoch");
        }

        if (value.ValueKind != JsonValueKind.String) throw Error(name, $"expected a number or a string, got {Describe(value)}");
        var text = value.GetString()!;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epochMs)) return epochMs;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant.ToUnixTimeMilliseconds()
            : throw Error(name, $"\"{text}\" is neither epoch milliseconds nor an ISO-8601 date-time");
    }

    public TraceUserAction RequiredAction(string name)
    {
        var text = RequiredString(name);
        return TracerActionNames.TryParse(text, out var action) ? action : throw Error(name, $"unknown user action \"{text}\"");
    }

    public T RequiredEnum<T>(string name) where T : struct, Enum
    {
        var text = RequiredString(name);
        return WireNames<T>.TryParse(text, out var value) ? value : throw Error(name, $"unknown value \"{text}\"");
    }

    /// <summary>Runs the model's own checks on a trace read here, with this object's path in the message.</summary>
    public Trace Validated(Trace trace)
    {
        try
        {
            TraceSerializer.Validate(trace);
            return trace;
        }
        catch (TraceFormatException e)
        {
            throw new TraceFormatException(_path + e.Message, e);
        }
    }

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => "a boolean",
    };
}
