using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ImagingRepo.Tracing.Hashing;

/// <summary>
/// Remembers series digests keyed by the series path and the name, size and modification time of each of its
/// files, so that re-hashing an unchanged dataset reads no file. A changed, added or removed file changes the
/// key. It can be saved to and loaded from a small text file (one <c>key digest files bytes</c> line per series).
/// </summary>
public sealed class SeriesDigestCache
{
    private readonly ConcurrentDictionary<string, SeriesDigest> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of cached series.</summary>
    public int Count => _entries.Count;

    /// <summary>Lookups answered from the cache.</summary>
    public int Hits => _hits;

    private int _hits;

    internal readonly record struct Key(string Value)
    {
        public static Key Of(string seriesPath, string[] sortedFiles)
        {
            var text = new StringBuilder(Path.GetFullPath(seriesPath));
            foreach (var file in sortedFiles)
            {
                var info = new FileInfo(file);
                text.Append('\n').Append(info.Name).Append('\t').Append(info.Length).Append('\t').Append(info.LastWriteTimeUtc.Ticks);
            }

            return new Key(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
        }
    }

    internal bool TryGet(Key key, [NotNullWhen(true)] out SeriesDigest? digest)
    {
        if (_entries.TryGetValue(key.Value, out digest))
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        return false;
    }

    internal void Set(Key key, SeriesDigest digest) => _entries[key.Value] = digest;

    /// <summary>Loads a cache saved by <see cref="SaveAsync"/>; a missing file gives an empty cache, bad lines are skipped.</summary>
    /// <param name="path">The cache file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<SeriesDigestCache> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        var cache = new SeriesDigestCache();
        if (!File.Exists(path)) return cache;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var parts = line.Split(' ');
            if (parts.Length != 4 || !int.TryParse(parts[2], out var files) || !long.TryParse(parts[3], out var bytes)) continue;
            try
            {
                cache._entries[parts[0]] = new SeriesDigest("", Convert.FromHexString(parts[1]), files, bytes);
            }
            catch (FormatException)
            {
                // A damaged line only costs a re-hash.
            }
        }

        return cache;
    }

    /// <summary>Saves the cache atomically (temporary file + rename).</summary>
    /// <param name="path">The cache file.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        foreach (var (key, digest) in _entries)
        {
            text.Append(key).Append(' ').Append(Convert.ToHexString(digest.Digest)).Append(' ')
                .Append(digest.FileCount).Append(' ').Append(digest.ByteCount).Append('\n');
        }

        var temp = path + ".tmp";
        await File.WriteAllTextAsync(temp, text.ToString(), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
