using System.Collections.Concurrent;
using System.Globalization;
using ImagingRepo.Client.Access;
using ImagingRepo.Jobs.Lifecycle;

namespace ImagingRepo.Client.Jobs;

/// <summary>
/// Records the jobs library's dataset accesses and their <c>USE_DATASETS</c> traces through the dataset service. The
/// service writes the trace itself when it records an access (<c>POST /datasetAccess/{id}</c>), in the same transaction
/// and under its own pseudonymization key, so the trace never holds a user name and never exists without its access
/// record, or the other way round. One type implements both interfaces for that reason: a trace for an access this
/// instance has just recorded is already written, and one for an access it has not seen is written by recording the
/// access now.
/// </summary>
public sealed class DatasetServiceWorkloadAccess : IDatasetAccessRecorder, IDatasetUseTraceSink
{
    private readonly AccessClient _access;

    // Accesses recorded here whose trace has not been asked for yet, by (user, datasets, start).
    private readonly ConcurrentDictionary<string, byte> _traced = new(StringComparer.Ordinal);

    /// <summary>Creates the recorder.</summary>
    /// <param name="access">The access area of the dataset service (a token with the role <c>admin_datasetAccess</c>).</param>
    public DatasetServiceWorkloadAccess(AccessClient access)
    {
        ArgumentNullException.ThrowIfNull(access);
        _access = access;
    }

    /// <summary>
    /// The access id a workload's access is recorded under: its namespace, name and start (ms), so that a retried call
    /// is refused as a duplicate instead of counted twice, and a later workload of the same name gets its own record.
    /// </summary>
    /// <param name="record">The access.</param>
    public static string AccessId(DatasetAccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return string.Create(CultureInfo.InvariantCulture, $"{record.Namespace}.{record.WorkloadName}.{record.StartedAt.ToUnixTimeMilliseconds()}");
    }

    /// <inheritdoc />
    public async Task RecordAccessAsync(DatasetAccessRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _access.CreateAccessAsync(AccessId(record), new DatasetAccessRequest
        {
            UserName = record.User,
            Datasets = record.DatasetIds,
            InstanceName = record.WorkloadName,
            ToolName = record.ToolName,
            ToolVersion = record.ToolVersion,
        }, cancellationToken).ConfigureAwait(false);
        _traced.TryAdd(Key(record.User, record.DatasetIds, record.StartedAt), 0);
    }

    /// <inheritdoc />
    public async Task RecordUseDatasetsAsync(UseDatasetsTrace trace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (_traced.TryRemove(Key(trace.UserId, trace.DatasetIds, trace.Timestamp), out _)) return;

        // A use reported without an access recorded here: record one, which writes the trace.
        var id = string.Create(CultureInfo.InvariantCulture, $"use.{trace.Timestamp.ToUnixTimeMilliseconds()}.{Guid.NewGuid():N}");
        await _access.CreateAccessAsync(id, new DatasetAccessRequest
        {
            UserName = trace.UserId,
            Datasets = trace.DatasetIds,
            InstanceName = trace.ModelId is null ? null : "model " + trace.ModelId,
            ToolName = trace.ToolName,
            ToolVersion = trace.ToolVersion,
        }, cancellationToken).ConfigureAwait(false);
    }

    private static string Key(string user, IReadOnlyList<string> datasetIds, DateTimeOffset start) =>
        string.Join('\n', [user, start.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), .. datasetIds.Order(StringComparer.Ordinal)]);
}
