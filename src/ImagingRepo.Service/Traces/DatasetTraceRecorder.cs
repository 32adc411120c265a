using System.Text;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Storage;
using ImagingRepo.Tracing.Model;
using ImagingRepo.Tracing.Privacy;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Traces;

/// <summary>
/// Records the traces of dataset changes in the transaction that makes the change (as pending rows that
/// <see cref="TraceForwarder"/> hands to the trace outbox). The user id is pseudonymized before it is written anywhere.
/// </summary>
internal sealed class DatasetTraceRecorder(PendingTraceRepository pending, UserPseudonymizer pseudonymizer, IOptions<ServiceOptions> options, TimeProvider time)
{
    public Task RecordUpdateAsync(DbSession session, string datasetId, string userId, TraceUpdateDetails details, CancellationToken cancellationToken) =>
        AddAsync(session, new UpdateDatasetTrace
        {
            Id = Guid.NewGuid(),
            CallerId = options.Value.CallerId,
            Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = userId,
            DatasetId = datasetId,
            Details = details,
        }, cancellationToken);

    public Task RecordCreateAsync(DbSession session, string datasetId, string userId, IReadOnlyList<DatasetContentHash> hashes, CancellationToken cancellationToken) =>
        AddAsync(session, new CreateDatasetTrace
        {
            Id = Guid.NewGuid(),
            CallerId = options.Value.CallerId,
            Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = userId,
            DatasetId = datasetId,
            TraceResources = [.. hashes.Select(h => new TraceResource(h.ResourceId, h.Sha3_256Base64, TraceHashType.Sha3_256))],
        }, cancellationToken);

    public Task RecordUseAsync(DbSession session, IReadOnlyList<string> datasetIds, string userId, string toolName, string toolVersion, CancellationToken cancellationToken) =>
        AddAsync(session, new UseDatasetsTrace
        {
            Id = Guid.NewGuid(),
            CallerId = options.Value.CallerId,
            Timestamp = time.GetUtcNow().ToUnixTimeMilliseconds(),
            UserId = userId,
            DatasetsIds = datasetIds,
            Tool = toolName.Length == 0 ? null : new TraceTool(toolName, toolVersion),
        }, cancellationToken);

    private Task AddAsync(DbSession session, Trace trace, CancellationToken cancellationToken)
    {
        trace = pseudonymizer.Apply(trace);
        TraceSerializer.Validate(trace);
        var json = Encoding.UTF8.GetString(TraceSerializer.Serialize(trace));
        return pending.AddAsync(session, trace.Id.ToString("D"), json, time.GetUtcNow(), cancellationToken);
    }
}
