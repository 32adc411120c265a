namespace ImagingRepo.Service.Creation.Integration;

/// <summary>
/// Starts something that runs queued creations, after one is queued or restarted, when the service does not run them
/// itself: a Kubernetes Job (<see cref="KubernetesJob.KubernetesCreationJobLauncher"/>). The in-process worker needs
/// none: queueing wakes it.
/// </summary>
internal interface IDatasetCreationLauncher
{
    /// <summary>Starts a run of the queued creations.</summary>
    Task LaunchAsync(CancellationToken cancellationToken);
}
