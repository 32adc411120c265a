namespace ImagingRepo.Dicom.Deidentification.Engine;

/// <summary>The results a file can end with short of being written, and the guard that turns a failure into one.</summary>
internal static class FileOutcomes
{
    /// <summary>Runs one file's step, turning any failure but cancellation into that file's failed result.</summary>
    public static DeidentificationResult? Guard(string sourcePath, Func<DeidentificationResult?> step)
    {
        try
        {
            return step();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // one bad input must never stop a run: any failure becomes this file's result
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failed(sourcePath, Describe(e));
        }
    }

    /// <summary>
    /// In a batch, the outcome of an input whose output SOP Instance UID an input earlier in the list claimed too: skipped as
    /// its duplicate when the two files are the same bytes, failed as a conflict otherwise. Null when this input owns its UID.
    /// </summary>
    public static DeidentificationResult? Contest(PreparedOutput prepared, CancellationToken cancellationToken)
    {
        if (prepared.Claims is not { } claims)
        {
            return null;
        }

        var owner = claims.OwnerOf(prepared.Index, prepared.NewSop, cancellationToken);
        if (owner == prepared.Index)
        {
            return null;
        }

        var other = claims.PathAt(owner);
        return InputHash.SameContent(prepared.SourcePath, other)
            ? new DeidentificationResult(prepared.SourcePath, DeidentificationStatus.Skipped, prepared.Target, "duplicate of " + other, null)
            : Failed(prepared.SourcePath, $"conflict: same SOP Instance UID as {other}, which comes first in the input and is the one written; "
                + "this input has other content and is not written");
    }

    /// <summary>A failed result: nothing was written.</summary>
    public static DeidentificationResult Failed(string path, string reason) =>
        new(path, DeidentificationStatus.Failed, null, reason, null);

    /// <summary>A result skipped because its output exists already.</summary>
    public static DeidentificationResult Skipped(string path, string target) =>
        new(path, DeidentificationStatus.Skipped, target, null, null);

    private static string Describe(Exception e) => e switch
    {
        DicomReadException read => read.Message,
        FileNotFoundException => "the file does not exist",
        UnauthorizedAccessException => "the file cannot be read (permission denied)",
        DicomException or IOException or FormatException or InvalidDataException => e.Message,
        _ => $"unexpected {e.GetType().Name}: {e.Message}",
    };
}
