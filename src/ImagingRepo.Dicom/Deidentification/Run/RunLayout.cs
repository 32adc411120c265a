namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>
/// Where a run writes (output tree, quarantine tree, receipts), resolved from its options, and the rules those places
/// must follow: the journal outside the output tree, the output and quarantine trees outside every input folder.
/// </summary>
internal sealed record RunLayout(string OutputRoot, string QuarantineRoot, string ReceiptsPath)
{
    /// <summary>Resolves the paths of <paramref name="options"/>; throws when they break a rule.</summary>
    /// <exception cref="DeidentificationRunException">A rule is broken.</exception>
    public static RunLayout Resolve(DeidentificationRunOptions options)
    {
        var outputRoot = Path.GetFullPath(options.OutputRoot);
        var quarantineRoot = options.QuarantineRoot is null
            ? Path.TrimEndingDirectorySeparator(outputRoot) + "-quarantine"
            : Path.GetFullPath(options.QuarantineRoot);
        if (options.JournalPath is not null
            && Path.GetFullPath(options.JournalPath).StartsWith(outputRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new DeidentificationRunException("the re-identification journal holds personal data: write it outside OUT.");
        }

        // a rerun would otherwise read the outputs of the last run as inputs and de-identify them again
        foreach (var input in options.Inputs)
        {
            if (!Directory.Exists(input))
            {
                continue;
            }

            var inputRoot = Path.TrimEndingDirectorySeparator(Path.GetFullPath(input));
            foreach (var (name, root) in new[] { ("OUT", outputRoot), ("the quarantine folder", quarantineRoot) })
            {
                if (IsSameOrInside(root, inputRoot))
                {
                    throw new DeidentificationRunException(
                        $"{name} ({root}) is inside the input folder {inputRoot}: a rerun would read its own outputs as inputs; " +
                        "choose a folder outside IN.");
                }
            }
        }

        return new RunLayout(outputRoot, quarantineRoot, options.ReceiptsPath ?? Path.Combine(outputRoot, "receipts.jsonl"));
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies under it.</summary>
    private static bool IsSameOrInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || Path.IsPathRooted(relative));
    }
}
