namespace ImagingRepo.Jobs.Specs;

/// <summary>
/// A named set of resource requests and limits (jobman's "resources flavor"), with an optional GPU count,
/// node selector and priority class. Bound from configuration.
/// </summary>
public sealed class ResourceFlavor
{
    /// <summary>Human description shown by <c>imagingrepo jobs flavors</c>.</summary>
    public string Description { get; set; } = "";

    /// <summary>CPU request, e.g. <c>1</c> or <c>500m</c>.</summary>
    public string CpuRequest { get; set; } = "1";

    /// <summary>CPU limit.</summary>
    public string CpuLimit { get; set; } = "2";

    /// <summary>Memory request, e.g. <c>4Gi</c>.</summary>
    public string MemoryRequest { get; set; } = "4Gi";

    /// <summary>Memory limit.</summary>
    public string MemoryLimit { get; set; } = "8Gi";

    /// <summary>Number of GPUs (<c>nvidia.com/gpu</c>); 0 for none.</summary>
    public int Gpus { get; set; }

    /// <summary>Node selector labels the pods must match.</summary>
    public Dictionary<string, string> NodeSelector { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Priority class name, or null for the cluster default.</summary>
    public string? PriorityClassName { get; set; }
}
