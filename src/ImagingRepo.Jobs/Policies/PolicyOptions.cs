namespace ImagingRepo.Jobs.Policies;

/// <summary>Settings of the platform policies.</summary>
public sealed class PolicyOptions
{
    /// <summary>Name of the emitted Kyverno ClusterPolicy.</summary>
    public string ClusterPolicyName { get; set; } = "imagingrepo-workloads";

    /// <summary>Registry prefixes images must come from (e.g. <c>harbor.example.org/</c>).</summary>
    public List<string> AllowedRegistries { get; set; } = ["harbor.chaimeleon-eu.i3m.upv.es/"];

    /// <summary>Volume source types pods may use.</summary>
    public List<string> AllowedVolumeTypes { get; set; } =
        ["configMap", "secret", "emptyDir", "persistentVolumeClaim", "cephfs", "projected", "downwardAPI", "ephemeral"];

    /// <summary>Namespaces the workspace rules apply to (Kyverno namespace pattern).</summary>
    public string WorkspaceNamespacePattern { get; set; } = "user-*";
}
