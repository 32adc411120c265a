namespace Quickstart;

/// <summary>
/// The Quickstart's working folder. It clears the folder before each run, so it must never clear one it did not make:
/// it writes a marker file into every folder it creates or adopts empty, and refuses any other folder that holds
/// something (a mistyped path must not cost the user their files).
/// </summary>
internal static class WorkingFolder
{
    /// <summary>The marker file that says the Quickstart created this folder.</summary>
    public const string MarkerName = ".imagingrepo-quickstart";

    /// <summary>
    /// Prepares <paramref name="path"/> for a fresh run: created when missing, adopted when empty, emptied when the
    /// marker says the Quickstart made it; anything else is refused.
    /// </summary>
    /// <returns>The full path, or null with <paramref name="error"/> saying why the folder was refused.</returns>
    public static string? Prepare(string path, out string? error)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        error = null;
        if (File.Exists(root))
        {
            error = $"{root} is a file, not a folder; give a new or empty folder.";
            return null;
        }

        if (Directory.Exists(root))
        {
            var marked = File.Exists(Path.Combine(root, MarkerName));
            if (!marked && Directory.EnumerateFileSystemEntries(root).Any())
            {
                error = $"{root} is not empty and was not created by the Quickstart (no {MarkerName} in it); " +
                        "it is left untouched. Give a new or empty folder.";
                return null;
            }

            if (marked)
            {
                // only what an earlier run put here; the marker goes last so that an interrupted clear stays ours
                foreach (var folder in Directory.EnumerateDirectories(root))
                {
                    Directory.Delete(folder, recursive: true); // symbolic links are removed, not followed
                }

                foreach (var file in Directory.EnumerateFiles(root).Where(f => Path.GetFileName(f) != MarkerName))
                {
                    File.Delete(file);
                }
            }
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, MarkerName), "Created by samples/Quickstart; the Quickstart clears this folder on each run.\n");
        return root;
    }
}
