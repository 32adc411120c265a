using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImagingRepo.Service.Hosting;

/// <summary>
/// The checks every input goes through before anything is written, each failing with a 400 that names the property:
/// required values, lengths (the v1 spec's limits), codes and tags by pattern, enumerations, and paths that must stay
/// inside the data lake.
/// </summary>
internal static partial class InputRules
{
    public static string Required(string? value, string property, int maxLength, int minLength = 1)
    {
        if (value is null) throw ServiceProblemException.Invalid($"'{property}' is required.");
        return Text(value, property, maxLength, minLength);
    }

    public static string Text(string value, string property, int maxLength, int minLength = 0)
    {
        if (value.Length < minLength) throw ServiceProblemException.Invalid($"'{property}' must have at least {minLength} characters.");
        if (value.Length > maxLength) throw ServiceProblemException.Invalid($"'{property}' must have at most {maxLength} characters, it has {value.Length}.");
        return value;
    }

    public static string Optional(string? value, string property, int maxLength) => value is null ? "" : Text(value, property, maxLength);

    /// <summary>A project, subproject or site code: letters, digits and '-', 2 to <paramref name="maxLength"/> characters.</summary>
    public static string Code(string? value, string property, int maxLength = 20)
    {
        var code = Required(value, property, maxLength, 2);
        if (!CodePattern().IsMatch(code)) throw ServiceProblemException.Invalid($"'{property}' may hold only letters, digits and '-'.");
        return code;
    }

    /// <summary>Dataset tags: letters, digits and '-', at most 20 characters each.</summary>
    public static IReadOnlyList<string> Tags(IEnumerable<string?> values, string property)
    {
        var tags = new List<string>();
        foreach (var tag in values)
        {
            if (tag is null || tag.Length is 0 or > 20 || !CodePattern().IsMatch(tag))
            {
                throw ServiceProblemException.Invalid($"'{property}': each tag must be 1 to 20 letters, digits or '-'.");
            }

            if (!tags.Contains(tag, StringComparer.Ordinal)) tags.Add(tag);
        }

        return tags;
    }

    public static IReadOnlyList<string> OneOf(IEnumerable<string?>? values, string property, IReadOnlyList<string> allowed)
    {
        var result = new List<string>();
        foreach (var value in values ?? [])
        {
            if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
            {
                throw ServiceProblemException.Invalid($"'{property}': '{value}' is not one of {string.Join(", ", allowed)}.");
            }

            if (!result.Contains(value, StringComparer.Ordinal)) result.Add(value);
        }

        return result;
    }

    /// <summary>An absolute http(s) URL, or empty when <paramref name="allowEmpty"/>.</summary>
    public static string Url(string? value, string property, int maxLength, bool allowEmpty)
    {
        var url = Optional(value, property, maxLength);
        if (url.Length == 0 && allowEmpty) return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw ServiceProblemException.Invalid($"'{property}' must be an http or https URL.");
        }

        return url;
    }

    /// <summary>
    /// A path relative to the data lake's root that cannot leave it: no absolute path, no drive, no backslash, no
    /// empty, '.' or '..' segment. Symbolic links out of the lake are caught again where the files are read.
    /// </summary>
    public static string LakePath(string? value, string property)
    {
        var path = Required(value, property, 256).TrimEnd('/');
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) || path.Contains(':', StringComparison.Ordinal)
            || path.Contains('\0', StringComparison.Ordinal) || path.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw ServiceProblemException.Invalid($"'{property}' must be a path inside the data lake (relative, without '.', '..' or empty segments): '{value}'.");
        }

        return path;
    }

    /// <summary>One folder name (a series): no separator, not '.' or '..'.</summary>
    public static string FolderName(string? value, string property)
    {
        var name = Required(value, property, 256);
        if (name is "." or ".." || name.IndexOfAny(['/', '\\', '\0']) >= 0)
        {
            throw ServiceProblemException.Invalid($"'{property}' must be one folder name: '{value}'.");
        }

        return name;
    }

    public static bool Boolean(JsonElement value, string property) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw ServiceProblemException.Invalid($"'{property}' must be true or false."),
    };

    public static string String(JsonElement value, string property, int maxLength, int minLength = 0) =>
        value.ValueKind == JsonValueKind.String
            ? Text(value.GetString()!, property, maxLength, minLength)
            : throw ServiceProblemException.Invalid($"'{property}' must be a string.");

    public static IEnumerable<string?> Strings(JsonElement value, string property) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? [.. value.EnumerateArray().Select(e => e.GetString())]
            : throw ServiceProblemException.Invalid($"'{property}' must be an array of strings.");

    /// <summary>The members of a JSON object; unknown names are refused.</summary>
    public static Dictionary<string, JsonElement> Object(JsonElement value, string property, params string[] known)
    {
        if (value.ValueKind != JsonValueKind.Object) throw ServiceProblemException.Invalid($"'{property}' must be an object.");
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in value.EnumerateObject())
        {
            if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                throw ServiceProblemException.Invalid($"'{property}' has an unknown property '{member.Name}' (known: {string.Join(", ", known)}).");
            }

            members[member.Name] = member.Value;
        }

        return members;
    }

    public static (int Skip, int Limit) Page(int? skip, int? limit)
    {
        if (skip is < 0) throw ServiceProblemException.Invalid("'skip' must be 0 or more.");
        if (limit is < 0) throw ServiceProblemException.Invalid("'limit' must be 0 (no limit) or more.");
        return (skip ?? 0, limit ?? 30);
    }

    [GeneratedRegex("^[A-Za-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();
}
