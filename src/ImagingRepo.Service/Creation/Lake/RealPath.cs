namespace ImagingRepo.Service.Creation.Lake;

/// <summary>
/// A path with every symbolic link in it resolved, segment by segment from the root, the way the kernel walks it: a
/// <c>..</c> after a link goes up from where the link led, not from the link. .NET resolves only the last segment
/// (<see cref="FileSystemInfo.ResolveLinkTarget"/>), which is not enough to tell whether a path stays inside a folder.
/// </summary>
internal static class RealPath
{
    /// <summary>Links followed before a path is taken for a loop (the kernel's own limit).</summary>
    public const int MaxLinks = 40;

    /// <summary>The resolved form of an absolute <paramref name="path"/>; segments that do not exist are kept as they are.</summary>
    /// <exception cref="IOException">More than <see cref="MaxLinks"/> links were followed.</exception>
    public static string Resolve(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string absolute, ref int links)
    {
        var current = "/";
        foreach (var segment in absolute.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".") continue;
            if (segment == "..")
            {
                // current holds no link, so its parent is the real parent
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = current == "/" ? "/" + segment : current + "/" + segment;
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks) throw new IOException($"more than {MaxLinks} symbolic links in a row (a loop?)");
            current = Resolve(target.StartsWith('/') ? target : current + "/" + target, ref links);
        }

        return current;
    }
}
