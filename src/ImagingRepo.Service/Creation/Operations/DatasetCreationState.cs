using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Creation.Operations;

/// <summary>Where a creation operation stands: the CHAIMELEON API's <c>creationStatus.status</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetCreationStatus>))]
public enum DatasetCreationStatus
{
    /// <summary><c>pending</c>: queued, or released by a replica that shut down, waiting for a worker.</summary>
    [JsonStringEnumMemberName("pending")] Pending,

    /// <summary><c>running</c>: claimed by a worker (or by one that crashed, until its claim expires).</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary><c>finished</c>: laid out, hashed, traced and stored.</summary>
    [JsonStringEnumMemberName("finished")] Finished,

    /// <summary><c>error</c>: failed or cancelled; the last message says why; it can be restarted.</summary>
    [JsonStringEnumMemberName("error")] Error,
}

/// <summary>A creation operation as stored.</summary>
public sealed record DatasetCreationState
{
    /// <summary>The dataset.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Its status.</summary>
    public required DatasetCreationStatus Status { get; init; }

    /// <summary>The last progress or error message (at most <see cref="MaxMessageLength"/> characters).</summary>
    public required string LastMessage { get; init; }

    /// <summary>Runs started since it was queued or restarted.</summary>
    public required int Attempts { get; init; }

    /// <summary>Whether a cancel was asked for and the running worker has not yet stopped.</summary>
    public required bool CancelRequested { get; init; }

    /// <summary>The result, once the dataset is laid out and hashed (the operation may still be recording it).</summary>
    public DatasetCreationResult? Result { get; init; }

    /// <summary>The id of its CREATE_DATASET trace, once prepared.</summary>
    public Guid? TraceId { get; init; }

    /// <summary>When it was queued.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The API's limit on <c>lastMessage</c>.</summary>
    public const int MaxMessageLength = 512;
}

/// <summary>What a cancel request did.</summary>
public enum CancelOutcome
{
    /// <summary>No operation for that dataset.</summary>
    NotFound,

    /// <summary>It was pending: it is now in error, "Canceled by user".</summary>
    Canceled,

    /// <summary>It is running: its worker stops at its next heartbeat and removes what it laid out.</summary>
    Requested,

    /// <summary>It is finished or in error already, or past recording its hashes, when stopping would lose a trace.</summary>
    TooLate,
}

/// <summary>What a restart request did.</summary>
public enum RestartOutcome
{
    /// <summary>No operation for that dataset.</summary>
    NotFound,

    /// <summary>It was in error: it is pending again.</summary>
    Restarted,

    /// <summary>It is pending, running or finished: nothing to restart.</summary>
    NotInError,
}
