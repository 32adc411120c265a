namespace ImagingRepo.Client.Storage;

/// <summary>Checks object keys: relative, '/'-separated, no empty, '.' or '..' segment, no control characters.</summary>
internal static class DataLakeKeys
{
    public static string Check(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key[0] == '/' || key.Contains('\\', StringComparison.Ordinal) || key.Any(char.IsControl))
        {
            throw new ArgumentException($"data lake key \"{key}\" must be relative, '/'-separated and free of control characters", nameof(key));
        }

        foreach (var segment in key.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                throw new ArgumentException($"data lake key \"{key}\" has an empty, '.' or '..' segment", nameof(key));
            }
        }

        return key;
    }

    /// <summary>Downloads a verifying stream into <paramref name="path"/> through a temporary file renamed into place.</summary>
    public static async Task DownloadViaTemporaryFileAsync(Stream verifying, string path, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N")[..8] + ".part");
        try
        {
            var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                await verifying.CopyToAsync(target, 1024 * 1024, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
