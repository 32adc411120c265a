using System.Security.Cryptography;
using ImagingRepo.Tracing;
using ImagingRepo.Tracing.Model;
using Microsoft.Extensions.Logging;

namespace InClusterInference;

/// <summary>
/// The job's USE_DATASETS and USE_MODELS traces, recorded durably in an outbox in the persistent home and anchored in
/// a local hash-chained ledger beside it (the embedded defaults; a platform deployment points the store at its
/// PostgreSQL outbox and Ethereum ledger instead). Only ids and hashes: the user is stored as a keyed pseudonym.
/// </summary>
internal sealed class UsageTraces : IAsyncDisposable
{
    /// <summary>The caller id the traces carry.</summary>
    public const string CallerId = "imagingrepo-in-cluster-inference";

    private readonly TraceStore _store;
    private readonly JobSettings _settings;
    private readonly TraceTool _tool;
    private readonly TimeProvider _time;

    private UsageTraces(TraceStore store, JobSettings settings, TraceTool tool, TimeProvider time)
    {
        _store = store;
        _settings = settings;
        _tool = tool;
        _time = time;
    }

    /// <summary>The folder of the outbox, the ledger and the default pseudonym key.</summary>
    public static string Folder(JobSettings settings) => Path.Combine(settings.PersistentHome, ".imagingrepo", "traces");

    /// <summary>Opens the store under the persistent home.</summary>
    public static async Task<UsageTraces> OpenAsync(JobSettings settings, TraceTool tool, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(Folder(settings)).FullName;
        var key = await ReadOrCreateKeyAsync(settings.PseudonymKeyFile ?? Path.Combine(folder, "pseudonym.key"), cancellationToken);
        var store = await new TraceStoreBuilder()
            .UsePseudonymizationKey(key)
            .UseSqliteOutbox(Path.Combine(folder, "outbox.db"))
            .UseFileLedger(Path.Combine(folder, "ledger.jsonl"))
            .UseLoggerFactory(loggerFactory)
            .BuildAsync(cancellationToken);
        return new UsageTraces(store, settings, tool, TimeProvider.System);
    }

    /// <summary>Records that the job is using its datasets (before it reads them).</summary>
    public async Task<Guid> RecordDatasetsUseAsync(CancellationToken cancellationToken)
    {
        var trace = new UseDatasetsTrace
        {
            Id = Guid.NewGuid(),
            CallerId = CallerId,
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = _settings.User,
            DatasetsIds = _settings.DatasetIds,
            Tool = _tool,
        };
        await _store.Outbox.RecordAsync(trace, cancellationToken);
        return trace.Id;
    }

    /// <summary>Records that the job applied a model to its datasets (once the model is loaded).</summary>
    public async Task<Guid> RecordModelUseAsync(string modelId, CancellationToken cancellationToken)
    {
        var trace = new UseModelsTrace
        {
            Id = Guid.NewGuid(),
            CallerId = CallerId,
            Timestamp = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = _settings.User,
            ModelsIds = [modelId],
            ApplicationId = _tool.Name,
            DatasetsIds = _settings.DatasetIds,
            Tool = _tool,
        };
        await _store.Outbox.RecordAsync(trace, cancellationToken);
        return trace.Id;
    }

    /// <summary>Anchors what was recorded and says whether each trace is in the ledger.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Status)>> AnchorAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        await _store.Dispatcher.FlushAsync(cancellationToken);
        var statuses = new List<(Guid, string)>();
        foreach (var id in ids)
        {
            var record = await _store.Outbox.GetAsync(id, cancellationToken);
            statuses.Add((id, record?.Status.ToString() ?? "missing"));
        }

        return statuses;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>A 32-byte key from a file (a mounted secret); created, readable by the user only, when missing.</summary>
    private static async Task<byte[]> ReadOrCreateKeyAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            var key = await File.ReadAllBytesAsync(path, cancellationToken);
            return key.Length >= 32 ? key : throw new InvalidDataException($"the pseudonym key in {path} is shorter than 32 bytes");
        }

        var created = RandomNumberGenerator.GetBytes(32);
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(temporary, options))
        {
            await file.WriteAsync(created, cancellationToken);
        }

        File.Move(temporary, path);
        return created;
    }
}
