using System.Buffers;
using System.Collections.Concurrent;

namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>
/// Where outputs go: <c>root/subject/study/series/instance.dcm</c> under the output root, or the quarantine root for an
/// instance whose pixels may show text, named by the de-identified Patient ID and UIDs (<c>unknown-subject</c> and the like
/// where one is empty); and the output folders already made.
/// </summary>
internal sealed class OutputLayout(string output, string? quarantine)
{
    /// <summary>Folders seen in this call, and whether this call created them.</summary>
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    /// <summary>The output tree.</summary>
    public string Output { get; } = output;

    /// <summary>The quarantine tree: the given one, or the output tree's path + <c>-quarantine</c>.</summary>
    public string Quarantine { get; } = quarantine ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + "-quarantine";

    /// <summary>An output's path relative to its root, from its de-identified Patient ID and UIDs.</summary>
    public static string RelativePath(string subject, string? study, string? series, string sopInstanceUid) =>
        Path.Combine(SafeName(subject, "unknown-subject"), SafeName(study, "unknown-study"),
            SafeName(series, "unknown-series"), SafeName(sopInstanceUid, "unknown-instance") + ".dcm");

    /// <summary>An output's full path: under the quarantine tree when <paramref name="quarantined"/>, else the output tree.</summary>
    public string Target(string relative, bool quarantined) => Path.Combine(quarantined ? Quarantine : Output, relative);

    /// <summary>An output's path as receipts give it: relative to the output root, <c>/</c>-separated.</summary>
    public static string ReceiptPath(string relative) => relative.Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Creates <paramref name="folder"/> if needed, asking the file system once per folder rather than once per file
    /// (a series folder holds many instances). Returns whether it did not exist before this call.
    /// </summary>
    public bool EnsureFolder(string folder)
    {
        if (_folders.TryGetValue(folder, out var created))
        {
            return created;
        }

        created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        if (_folders.Count >= 4096)
        {
            // forgetting is safe: a forgotten folder is only asked about again, and counted as not created
            _folders.Clear();
        }

        _folders.TryAdd(folder, created);
        return created;
    }

    private const int MaxNameLength = 128;

    private static readonly SearchValues<char> SafeNameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_");

    /// <summary>A value as a file or folder name: letters, digits, '.', '-' and '_' kept, anything else '_', at most 128 characters.</summary>
    private static string SafeName(string? value, string fallback)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (value.Length <= MaxNameLength && !value.AsSpan().ContainsAnyExcept(SafeNameCharacters) && value is not ("." or ".."))
        {
            return value; // the usual case (pseudonymous UIDs and subject ids): already a safe name, nothing to copy
        }

        Span<char> buffer = stackalloc char[Math.Min(value.Length, MaxNameLength)];
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = value[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_';
        }

        var name = new string(buffer);
        return name is "." or ".." ? fallback : name;
    }
}
