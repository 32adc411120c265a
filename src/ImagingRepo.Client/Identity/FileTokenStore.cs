using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Client.Identity;

/// <summary>
/// Keeps tokens in a JSON file readable by its owner only (mode 0600 in a 0700 folder on Unix), written to a
/// temporary file and renamed into place so that a crash never leaves half a file. The CLI's store is
/// <see cref="DefaultPath"/>.
/// </summary>
public sealed class FileTokenStore : ITokenStore, IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the store over <paramref name="path"/> (created on the first save).</summary>
    /// <param name="path">The file.</param>
    public FileTokenStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary><c>~/.imagingrepo/tokens.json</c>.</summary>
    public static string DefaultPath { get; } = System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".imagingrepo", "tokens.json");

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public async Task<SignInTokens?> LoadAsync(Uri authority, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var entry = entries.Find(e => Matches(e, authority, clientId));
            return entry is null ? null : new SignInTokens(new Uri(entry.Authority), entry.ClientId,
                new AccessToken(entry.AccessToken, entry.ExpiresAt), entry.RefreshToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task SaveAsync(SignInTokens tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = await ReadAsync(cancellationToken).ConfigureAwait(false);
            entries.RemoveAll(e => Matches(e, tokens.Authority, tokens.ClientId));
            entries.Add(new StoredEntry(Normalize(tokens.Authority), tokens.ClientId, tokens.AccessToken.Value,
                tokens.AccessToken.ExpiresAt, tokens.RefreshToken));
            await WriteAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(Uri authority, string clientId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authority);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var entries = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (entries.RemoveAll(e => Matches(e, authority, clientId)) > 0) await WriteAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _gate.Dispose();

    private static string Normalize(Uri authority) => authority.AbsoluteUri.TrimEnd('/');

    private static bool Matches(StoredEntry entry, Uri authority, string clientId) =>
        string.Equals(entry.Authority, Normalize(authority), StringComparison.Ordinal) && string.Equals(entry.ClientId, clientId, StringComparison.Ordinal);

    private async Task<List<StoredEntry>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path)) return [];
        var stream = File.OpenRead(Path);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync(stream, TokenStoreJsonContext.Default.ListStoredEntry, cancellationToken).ConfigureAwait(false) ?? [];
            }
            catch (JsonException e)
            {
                throw new SignInException($"token store {Path} is not valid JSON (line {e.LineNumber + 1}); delete it and sign in again", e);
            }
        }
    }

    private async Task WriteAsync(List<StoredEntry> entries, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, OwnerOnlyFolder);
        }

        var temporary = Path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        try
        {
            var stream = new FileStream(temporary, options);
            await using (stream.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(stream, entries, TokenStoreJsonContext.Default.ListStoredEntry, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    internal sealed record StoredEntry(string Authority, string ClientId, string AccessToken, DateTimeOffset ExpiresAt, string? RefreshToken);
}

[JsonSerializable(typeof(List<FileTokenStore.StoredEntry>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
internal sealed partial class TokenStoreJsonContext : JsonSerializerContext;
