namespace ImagingRepo.Service.Creation.Operations;

/// <summary>The last messages an operation shows between its progress messages, worded as the CHAIMELEON service words them where it has one.</summary>
internal static class CreationMessages
{
    public const string Starting = "Starting...";
    public const string Resuming = "Resuming after an interrupted run...";
    public const string Restarting = "Waiting to restart...";
    public const string Canceling = "Canceling...";
    public const string Canceled = "Canceled by user";
    public const string Released = "Waiting to resume (the service was stopped)...";
    public const string Finished = "Dataset creation finished.";
    public const string Unexpected = "Unexpected error";
}
