namespace ImagingRepo.Jobs.Specs;

/// <summary>
/// Who a workload runs as and where: the user's workspace namespace, uid/gid and the GID that grants read access
/// to the user's datasets. Read from the workspace ConfigMap or returned by provisioning.
/// </summary>
/// <param name="Username">The platform user name.</param>
/// <param name="Namespace">The workspace namespace (<c>user-…</c>).</param>
/// <param name="Uid">User id the containers run as.</param>
/// <param name="Gid">Primary group id and fsGroup.</param>
/// <param name="DatasetGid">The user's own dataset group id, the only supplemental group.</param>
public sealed record WorkspaceIdentity(string Username, string Namespace, long Uid, long Gid, long DatasetGid)
{
    /// <summary>The value of the user label on the user's workloads (the namespace name, which is label-safe).</summary>
    public string UserLabelValue => Namespace;
}
