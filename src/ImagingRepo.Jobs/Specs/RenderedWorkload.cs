using k8s;
using k8s.Models;

namespace ImagingRepo.Jobs.Specs;

/// <summary>The Kubernetes objects a spec renders to, in creation order (Secret before Deployment, Service last).</summary>
public sealed class RenderedWorkload
{
    /// <summary>Creates the result.</summary>
    /// <param name="name">The workload's name.</param>
    /// <param name="namespace">The namespace it goes to.</param>
    /// <param name="kind">The workload kind label value.</param>
    /// <param name="datasetIds">Datasets it reads.</param>
    /// <param name="toolName">Tool name.</param>
    /// <param name="toolVersion">Tool version.</param>
    /// <param name="objects">The objects in creation order.</param>
    public RenderedWorkload(string name, string @namespace, string kind, IReadOnlyList<string> datasetIds, string toolName, string toolVersion,
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects)
        => (Name, Namespace, Kind, DatasetIds, ToolName, ToolVersion, Objects) = (name, @namespace, kind, datasetIds, toolName, toolVersion, objects);

    /// <summary>The workload's name.</summary>
    public string Name { get; }

    /// <summary>The namespace it goes to.</summary>
    public string Namespace { get; }

    /// <summary>batch, htc, interactive or inference.</summary>
    public string Kind { get; }

    /// <summary>Datasets it reads.</summary>
    public IReadOnlyList<string> DatasetIds { get; }

    /// <summary>Tool name recorded in annotations and traces.</summary>
    public string ToolName { get; }

    /// <summary>Tool version recorded in annotations and traces.</summary>
    public string ToolVersion { get; }

    /// <summary>The objects in creation order.</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects { get; }

    /// <summary>The objects as a multi-document YAML stream, exactly what would be submitted.</summary>
    public string ToYaml() => KubernetesYaml.SerializeAll(Objects);
}
