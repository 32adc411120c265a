using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Tracing.Ledgers;

/// <summary>
/// The embedded default ledger: an append-only file of JSON lines, one per anchored batch. Each line is
/// <c>{"hash":H,"body":B}</c> where B holds the sequence number, the previous line's hash, the batch root and
/// its entries, and H = SHA3-256 of B's exact UTF-8 bytes. <see cref="VerifyChainAsync"/> walks the file and
/// reports any edit (hash mismatch), deletion or reordering (sequence or previous-hash mismatch). Removing the
/// newest lines is only detected against a head hash kept elsewhere (<see cref="HeadHash"/>).
/// </summary>
public sealed class FileTraceLedger : ITraceLedger, IDisposable
{
    /// <summary>The previous-hash of the first record.</summary>
    public static readonly string GenesisHash = new('0', 64);

    private readonly string _path;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<string, LedgerAnchor> _byRoot = new(StringComparer.Ordinal);
    private readonly List<(LedgerTraceEntry Entry, string[] Datasets)> _entries = [];
    private readonly HashSet<Guid> _anchoredTraces = [];
    private long _seq;
    private string _head = GenesisHash;

    private FileTraceLedger(string path) => _path = path;

    /// <inheritdoc />
    public string Description => "file " + Path.GetFileName(_path);

    /// <summary>Hash of the newest record (the genesis hash when empty); keep it elsewhere to detect truncation.</summary>
    public string HeadHash => _head;

    /// <summary>Number of records.</summary>
    public long Count => _seq;

    /// <summary>Opens (or creates) a ledger file. A torn last line left by a crash during an append is dropped.</summary>
    /// <param name="path">The ledger file.</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="LedgerTamperedException">The file's chain is broken.</exception>
    public static async Task<FileTraceLedger> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var ledger = new FileTraceLedger(Path.GetFullPath(path));
        Directory.CreateDirectory(Path.GetDirectoryName(ledger._path)!);
        if (File.Exists(ledger._path))
        {
            await DropTornTailAsync(ledger._path, cancellationToken).ConfigureAwait(false);
            var report = await VerifyCoreAsync(ledger._path, null, ledger, cancellationToken).ConfigureAwait(false);
            if (!report.IsIntact) throw new LedgerTamperedException(report.Problems[0]);
        }

        return ledger;
    }

    /// <summary>Walks a ledger file and checks every record's hash, sequence number and link to its predecessor.</summary>
    /// <param name="path">The ledger file.</param>
    /// <param name="expectedHead">The head hash remembered elsewhere, to detect removal of the newest records; or null.</param>
    /// <param name="cancellationToken">Cancels the walk.</param>
    public static Task<LedgerChainReport> VerifyChainAsync(string path, string? expectedHead = null, CancellationToken cancellationToken = default) =>
        VerifyCoreAsync(path, expectedHead, null, cancellationToken);

    /// <inheritdoc />
    public Task<LedgerTicket> PrepareAsync(LedgerBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var body = new FileBatchBody
        {
            Root = Convert.ToHexStringLower(batch.Root.Span),
            Entries = batch.Entries.Select(e => new FileEntry
            {
                Id = e.TraceId,
                Action = e.Action,
                Datasets = e.DatasetIds.Select(d => Convert.ToHexStringLower(DatasetKey.Of(d))).ToArray(),
            }).ToArray(),
        };
        var payload = JsonSerializer.Serialize(body, FileLedgerJsonContext.Default.FileBatchBody);
        return Task.FromResult(new LedgerTicket(body.Root, payload));
    }

    /// <inheritdoc />
    public async Task SendAsync(LedgerTicket ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var batch = ticket.Payload is null ? null : JsonSerializer.Deserialize(ticket.Payload, FileLedgerJsonContext.Default.FileBatchBody);
        if (batch is null || batch.Root.Length != 64) throw new LedgerException("file ledger ticket has no batch payload", isTransient: false);

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_byRoot.ContainsKey(batch.Root)) return; // already anchored: sending twice is harmless
            foreach (var entry in batch.Entries)
            {
                if (_anchoredTraces.Contains(entry.Id))
                {
                    throw new LedgerException($"trace {entry.Id} is already anchored; a trace id is anchored once", isTransient: false);
                }
            }

            var record = new FileRecordBody { Seq = _seq + 1, Prev = _head, Batch = batch };
            var bodyBytes = JsonSerializer.SerializeToUtf8Bytes(record, FileLedgerJsonContext.Default.FileRecordBody);
            var hash = Convert.ToHexStringLower(SHA3_256.HashData(bodyBytes));
            var prefix = Encoding.ASCII.GetBytes($"{{\"hash\":\"{hash}\",\"body\":");
            var line = new byte[prefix.Length + bodyBytes.Length + 2];
            prefix.CopyTo(line, 0);
            bodyBytes.CopyTo(line, prefix.Length);
            line[prefix.Length + bodyBytes.Length] = (byte)'}';
            line[prefix.Length + bodyBytes.Length + 1] = (byte)'\n';
            var length = prefix.Length + bodyBytes.Length + 2;

            var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(line.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            Index(record, hash);
        }
        catch (IOException e)
        {
            throw new LedgerException($"cannot append to {_path}: {e.Message}", isTransient: true, e);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public Task<LedgerAnchor?> GetAnchorAsync(LedgerBatch batch, LedgerTicket? ticket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return FindRootAsync(batch.Root, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<LedgerAnchor?> FindRootAsync(ReadOnlyMemory<byte> root, CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _byRoot.GetValueOrDefault(Convert.ToHexStringLower(root.Span));
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerTraceEntry> QueryAsync(LedgerQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = query.DatasetId is null ? null : Convert.ToHexStringLower(DatasetKey.Of(query.DatasetId));
        List<LedgerTraceEntry> matches = [];
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (entry, datasets) in _entries)
            {
                if (query.TraceId is { } id && entry.TraceId != id) continue;
                if (query.Action is { } action && entry.Action != action) continue;
                if (key is not null && Array.IndexOf(datasets, key) < 0) continue;
                matches.Add(key is null ? entry : entry with { DatasetKey = Convert.FromHexString(key) });
            }
        }
        finally
        {
            _lock.Release();
        }

        foreach (var match in matches) yield return match;
    }

    /// <inheritdoc />
    public void Dispose() => _lock.Dispose();

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        // Every append is written and fsynced before it returns: nothing is left to flush, only the lock to release.
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Index(FileRecordBody record, string hash)
    {
        _seq = record.Seq;
        _head = hash;
        var root = Convert.FromHexString(record.Batch.Root);
        _byRoot[record.Batch.Root] = new LedgerAnchor(Description, record.Seq, hash, record.Seq, root, record.Batch.Entries.Length);
        foreach (var e in record.Batch.Entries)
        {
            _anchoredTraces.Add(e.Id);
            var first = e.Datasets.Length > 0 ? Convert.FromHexString(e.Datasets[0]) : new byte[32];
            _entries.Add((new LedgerTraceEntry(e.Id, e.Action, first, record.Seq, hash), e.Datasets));
        }
    }

    private static async Task DropTornTailAsync(string path, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.Length == 0) return;
            var buffer = new byte[1];
            long end = stream.Length;
            stream.Position = end - 1;
            await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (buffer[0] == (byte)'\n') return;

            // An append was cut short: drop the partial line (it was never acknowledged).
            var position = end - 1;
            while (position > 0)
            {
                stream.Position = position - 1;
                await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (buffer[0] == (byte)'\n') break;
                position--;
            }

            stream.SetLength(position);
            stream.Flush(flushToDisk: true);
        }
    }

    private static async Task<LedgerChainReport> VerifyCoreAsync(string path, string? expectedHead, FileTraceLedger? indexInto, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        long seq = 0;
        var prev = GenesisHash;
        var lineNumber = 0;
        if (File.Exists(path))
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            string? line;
            while ((line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) is not null)
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    problems.Add($"line {lineNumber}: empty line");
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(line);
                    var hash = document.RootElement.GetProperty("hash").GetString() ?? "";
                    var bodyElement = document.RootElement.GetProperty("body");
                    var bodyBytes = Encoding.UTF8.GetBytes(bodyElement.GetRawText());
                    var actual = Convert.ToHexStringLower(SHA3_256.HashData(bodyBytes));
                    var body = bodyElement.Deserialize(FileLedgerJsonContext.Default.FileRecordBody)
                        ?? throw new JsonException("null body");
                    if (actual != hash) problems.Add($"line {lineNumber} (record {body.Seq}): content does not match its hash (edited)");
                    if (body.Seq != seq + 1) problems.Add($"line {lineNumber}: record {body.Seq} follows record {seq} (deleted or reordered)");
                    if (body.Prev != prev) problems.Add($"line {lineNumber} (record {body.Seq}): previous-hash does not match record {seq} (deleted, inserted or reordered)");
                    seq = body.Seq;
                    prev = hash;
                    if (problems.Count == 0) indexInto?.Index(body, hash);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    problems.Add($"line {lineNumber}: not a ledger record ({e.Message})");
                }
            }
        }

        if (expectedHead is not null && expectedHead != prev)
        {
            problems.Add($"the newest record's hash is {prev}, expected {expectedHead} (records removed or added at the end)");
        }

        return new LedgerChainReport(problems.Count == 0, lineNumber, prev, problems);
    }
}

/// <summary>Outcome of <see cref="FileTraceLedger.VerifyChainAsync(string, string?, CancellationToken)"/>.</summary>
/// <param name="IsIntact">True when the chain is unbroken.</param>
/// <param name="Records">Number of lines read.</param>
/// <param name="HeadHash">Hash of the last record.</param>
/// <param name="Problems">One line per problem found, naming the line.</param>
public sealed record LedgerChainReport(bool IsIntact, long Records, string HeadHash, IReadOnlyList<string> Problems);

/// <summary>A ledger's stored records do not form an unbroken chain.</summary>
public sealed class LedgerTamperedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerTamperedException() { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The first problem found.</param>
    public LedgerTamperedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The first problem found.</param>
    /// <param name="innerException">The cause.</param>
    public LedgerTamperedException(string message, Exception innerException) : base(message, innerException) { }
}

internal sealed class FileEntry
{
    [JsonPropertyName("id")] public Guid Id { get; set; }
    [JsonPropertyName("action")] public TraceUserAction Action { get; set; }
    [JsonPropertyName("datasets")] public string[] Datasets { get; set; } = [];
}

internal sealed class FileBatchBody
{
    [JsonPropertyName("root")] public string Root { get; set; } = "";
    [JsonPropertyName("entries")] public FileEntry[] Entries { get; set; } = [];
}

internal sealed class FileRecordBody
{
    [JsonPropertyName("seq")] public long Seq { get; set; }
    [JsonPropertyName("prev")] public string Prev { get; set; } = "";
    [JsonPropertyName("batch")] public FileBatchBody Batch { get; set; } = new();
}

[JsonSerializable(typeof(FileRecordBody))]
[JsonSerializable(typeof(FileBatchBody))]
internal sealed partial class FileLedgerJsonContext : JsonSerializerContext;
