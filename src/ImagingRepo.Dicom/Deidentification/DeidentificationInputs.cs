namespace ImagingRepo.Dicom.Deidentification;

/// <summary>
/// Tells the files of an export that are not DICOM instances (a DICOMDIR, text and spreadsheet files, anything else)
/// from instances that failed, so that a tool can count them as ignored rather than failed: a normal export of a
/// PACS or a CD holds such files beside its instances.
/// </summary>
public static class DeidentificationInputs
{
    /// <summary>The file name PS3.10 fixes for a media storage directory.</summary>
    public const string MediaDirectoryName = "DICOMDIR";

    /// <summary>
    /// Whether <paramref name="path"/> names a media storage directory (DICOMDIR): a DICOM file, but an index of
    /// the instances beside it that holds identifying data and is never itself an instance to de-identify.
    /// </summary>
    /// <param name="path">A file path.</param>
    /// <returns>True when the file name is <c>DICOMDIR</c> (in any case).</returns>
    public static bool IsMediaDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return string.Equals(Path.GetFileName(path), MediaDirectoryName, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether the file at <paramref name="path"/> starts with the PS3.10 preamble and the <c>DICM</c> prefix.</summary>
    /// <param name="path">A file path.</param>
    /// <returns>True when bytes 128 to 131 are <c>DICM</c>; false for a shorter or unreadable file.</returns>
    public static bool HasPart10Prefix(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Span<byte> head = stackalloc byte[132];
        try
        {
            using var file = File.OpenHandle(path);
            var read = 0;
            while (read < head.Length)
            {
                var n = RandomAccess.Read(file, head[read..], read);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return head[128..].SequenceEqual("DICM"u8);
    }

    /// <summary>
    /// Whether a failed result is a file that is not DICOM at all: it could not be read as DICOM and lacks the
    /// <c>DICM</c> prefix, so it is most likely a text, spreadsheet or other file of the export. A file with the
    /// prefix that failed is a broken instance and stays a failure.
    /// </summary>
    /// <param name="result">The outcome of de-identifying one file.</param>
    /// <returns>True when <paramref name="result"/> failed and its source lacks the <c>DICM</c> prefix.</returns>
    public static bool IsNotDicom(DeidentificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status == DeidentificationStatus.Failed && !HasPart10Prefix(result.SourcePath);
    }
}
