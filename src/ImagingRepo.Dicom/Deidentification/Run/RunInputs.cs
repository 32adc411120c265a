namespace ImagingRepo.Dicom.Deidentification.Run;

/// <summary>The files a run de-identifies, found from its inputs.</summary>
internal static class RunInputs
{
    /// <summary>
    /// Each input file as a full path, and each input folder's files (recursively, in ordinal order of their paths, so the
    /// instances of a series stay together and every run sees the same order), less DICOMDIR files.
    /// </summary>
    /// <returns>The files, and how many DICOMDIR files were left out.</returns>
    public static (IReadOnlyList<string> Files, int MediaDirectories) Find(IReadOnlyList<string> inputs)
    {
        var files = new List<string>();
        var mediaDirectories = 0;
        foreach (var input in inputs)
        {
            var candidates = File.Exists(input)
                ? (IEnumerable<string>)[Path.GetFullPath(input)]
                : Directory.EnumerateFiles(Path.GetFullPath(input), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
            foreach (var candidate in candidates)
            {
                // a DICOMDIR is an index of the export, not an instance: ignored, as are files that turn out not to be DICOM
                if (DeidentificationInputs.IsMediaDirectory(candidate))
                {
                    mediaDirectories++;
                }
                else
                {
                    files.Add(candidate);
                }
            }
        }

        return (files, mediaDirectories);
    }
}
