using ImagingRepo.Service.Creation.Integration;
using k8s;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Creation.KubernetesJob;

/// <summary>
/// Starts a creation Job after an operation is queued. Each Job runs whatever is queued, so a second Job started for
/// the same work only finds nothing left; the claims make every operation run once. The only Kubernetes call is
/// <c>create</c> on <c>jobs</c> in the configured namespace, which is all the service's role has to allow for it.
/// </summary>
internal sealed partial class KubernetesCreationJobLauncher(IKubernetes kubernetes, IOptions<CreationJobOptions> options, ILogger<KubernetesCreationJobLauncher> logger)
    : IDatasetCreationLauncher
{
    public async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var job = CreationJobManifest.Render(o);
        var violations = CreationJobManifest.Check(job, o);
        if (violations.Count > 0)
        {
            throw new InvalidOperationException("The creation Job breaks the platform policies: " + string.Join("; ", violations.Select(v => v.ToString())));
        }

        var created = await kubernetes.BatchV1.CreateNamespacedJobAsync(job, o.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        LogStarted(created.Metadata.Name, o.Namespace!);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset creation Job {Job} started in {Namespace}")]
    private partial void LogStarted(string job, string @namespace);
}
