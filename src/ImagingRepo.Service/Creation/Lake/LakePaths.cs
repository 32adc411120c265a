namespace ImagingRepo.Service.Creation.Lake;

/// <summary>
/// The syntax rules for what a request may name: a path inside the data lake, and a single folder name (a subject, a
/// series). They are checked before anything touches a disk; where a name leads once symbolic links are followed is the
/// data lake's check (<see cref="LocalFolderDataLake"/>).
/// </summary>
public static class LakePaths
{
    /// <summary>Longest <c>pathInDatalake</c> accepted (the CHAIMELEON API's limit).</summary>
    public const int MaxPathLength = 256;

    /// <summary>Longest folder name accepted (a common file-system limit).</summary>
    public const int MaxNameLength = 255;

    /// <summary>
    /// Why <paramref name="path"/> is not a relative path inside the lake, or null when it is: not empty, not absolute,
    /// no <c>.</c> or <c>..</c> segment, no backslash or control character, at most <see cref="MaxPathLength"/>
    /// characters. One trailing slash is accepted (CHAIMELEON's examples have it).
    /// </summary>
    /// <param name="path">A <c>pathInDatalake</c>.</param>
    public static string? ProblemWithPath(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "is empty";
        if (path.Length > MaxPathLength) return $"is longer than {MaxPathLength} characters";
        if (path[0] == '/' || Path.IsPathRooted(path)) return "is absolute; it must be relative to the data lake";
        var trimmed = path.EndsWith('/') ? path[..^1] : path;
        foreach (var segment in trimmed.Split('/'))
        {
            if (ProblemWithSegment(segment) is { } problem) return $"has a segment that {problem}";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot be one folder name, or null when it can: not empty, no slash or backslash, not
    /// <c>.</c> or <c>..</c>, not starting with a dot (the dataset folder keeps its own working files under such names),
    /// no control character, at most <see cref="MaxNameLength"/> characters.
    /// </summary>
    /// <param name="name">A subject name or series folder name.</param>
    public static string? ProblemWithName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "is empty";
        if (name.Length > MaxNameLength) return $"is longer than {MaxNameLength} characters";
        return ProblemWithSegment(name);
    }

    /// <summary>The normalized form of a valid path: no trailing slash.</summary>
    /// <param name="path">A path that <see cref="ProblemWithPath"/> accepts.</param>
    public static string Normalize(string path) => path.EndsWith('/') ? path[..^1] : path;

    /// <summary>The last segment of a valid path: the study folder's name (<c>basename(pathInDatalake)</c>).</summary>
    /// <param name="path">A path that <see cref="ProblemWithPath"/> accepts.</param>
    public static string LastSegment(string path)
    {
        var normalized = Normalize(path);
        return normalized[(normalized.LastIndexOf('/') + 1)..];
    }

    private static string? ProblemWithSegment(string segment)
    {
        if (segment.Length == 0) return "is empty";
        if (segment is "." or "..") return $"is \"{segment}\"";
        if (segment[0] == '.') return "starts with a dot";
        foreach (var c in segment)
        {
            if (c == '/' || c == '\\') return "holds a slash or backslash";
            if (char.IsControl(c)) return "holds a control character";
        }

        return null;
    }
}
