namespace ImagingRepo.Service.Creation.Layout;

/// <summary>Writes a whole file so that readers see the old content or the new, never a part: a temporary file in the same folder, flushed to disk, then renamed over.</summary>
internal static class AtomicFile
{
    /// <summary>Files the dataset folder holds (index, eforms): readable by all who may enter the folder.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The prefix and suffix of the temporary files, which a later run removes when a crash left them.</summary>
    public const string TempPrefix = ".";

    /// <inheritdoc cref="TempPrefix"/>
    public const string TempSuffix = ".tmp";

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Join(folder, TempPrefix + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + TempSuffix);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        try
        {
            var stream = new FileStream(temp, options);
            await using (stream)
            {
                await stream.WriteAsync(content, cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Whether <paramref name="name"/> is a temporary file this class writes.</summary>
    public static bool IsTemp(string name) => name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(TempSuffix, StringComparison.Ordinal);
}
