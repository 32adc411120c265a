using ImagingRepo.Jobs.Policies;
using ImagingRepo.Jobs.Specs;
using ImagingRepo.Jobs.Workspaces;

namespace InClusterInference;

/// <summary>
/// The Kubernetes Job that runs this sample in a user's workspace, rendered with ImagingRepo.Jobs as an inference
/// job: a GPU flavour, the datasets mounted read-only (and named in <c>DATASETS_LIST</c> and the
/// <c>chaimeleon.eu/datasetsIDs</c> annotation), the model id in <c>MODEL_ID</c>, hardened by default, and checked
/// against the platform policies before anyone submits it.
/// </summary>
internal static class JobManifest
{
    /// <summary>The tool name in the job's annotations and the traces.</summary>
    public const string ToolName = "imagingrepo-in-cluster-inference";

    /// <summary>Renders the job for <paramref name="user"/> and checks it.</summary>
    /// <param name="user">The workspace owner.</param>
    /// <param name="datasetGid">The owner's dataset group (from the workspace ConfigMap), the pod's only supplemental group.</param>
    /// <param name="image">The container image (from the platform registry).</param>
    /// <param name="toolVersion">The sample's version.</param>
    /// <param name="datasetIds">The datasets to mount and run on.</param>
    /// <param name="modelId">The model's id.</param>
    /// <param name="flavor">The resource flavour; <c>gpu</c> by default.</param>
    public static (RenderedWorkload Workload, IReadOnlyList<PolicyViolation> Violations) Render(
        string user, long datasetGid, string image, string toolVersion, IReadOnlyList<string> datasetIds, string modelId, string flavor)
    {
        var options = new JobsOptions();
        var workspace = new WorkspaceIdentity(user, WorkspaceNaming.NamespaceFor(user), Uid: 1000, Gid: 1000, DatasetGid: datasetGid);
        var job = new InferenceJob
        {
            Image = image,
            DatasetIds = [.. datasetIds],
            ModelId = modelId,
            Flavor = flavor,
            ToolName = ToolName,
            ToolVersion = toolVersion,
            Arguments = ["run"],
        };
        var rendered = new ManifestRenderer(options).Render(job, workspace);
        return (rendered, new PolicyChecker(options.Policy).CheckAll(rendered.Objects, workspace));
    }
}
