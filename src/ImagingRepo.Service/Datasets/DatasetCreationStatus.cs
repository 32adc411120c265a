namespace ImagingRepo.Service.Datasets;

/// <summary>Where a dataset's creation stands (<c>creationStatus.status</c>).</summary>
internal enum DatasetCreationState
{
    Pending,
    Running,
    Finished,
    Error,
}

/// <summary>The status of a creation and its last message (<c>GET /datasets/{id}/creationStatus</c>).</summary>
/// <param name="State">The state.</param>
/// <param name="LastMessage">Progress or the error, at most 512 characters.</param>
internal sealed record DatasetCreationStatus(DatasetCreationState State, string LastMessage)
{
    /// <summary>What a dataset without a status row reports: its creation is over.</summary>
    public static DatasetCreationStatus Finished { get; } = new(DatasetCreationState.Finished, "Successfully created");
}

/// <summary>The wire names of <see cref="DatasetCreationState"/>.</summary>
internal static class DatasetCreationStates
{
    public static string Name(DatasetCreationState state) => state switch
    {
        DatasetCreationState.Pending => "pending",
        DatasetCreationState.Running => "running",
        DatasetCreationState.Finished => "finished",
        _ => "error",
    };

    public static DatasetCreationState Parse(string name) => name switch
    {
        "pending" => DatasetCreationState.Pending,
        "running" => DatasetCreationState.Running,
        "finished" => DatasetCreationState.Finished,
        "error" => DatasetCreationState.Error,
        _ => throw new InvalidOperationException($"creation_status.status: unknown value '{name}'"),
    };
}
