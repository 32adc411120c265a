namespace ImagingRepo.Service.Security;

/// <summary>The dataset service's roles and group prefixes, as Keycloak issues them on the CHAIMELEON platform.</summary>
internal static class PlatformRoles
{
    /// <summary>Use datasets of one's projects (and public ones).</summary>
    public const string UseDatasets = "use_datasets";

    /// <summary>Create datasets and manage one's own; implies <see cref="UseDatasets"/>.</summary>
    public const string AdminDatasets = "admin_datasets";

    /// <summary>Manage every dataset; implies <see cref="AdminDatasets"/>.</summary>
    public const string SuperadminDatasets = "superadmin_datasets";

    /// <summary>Manage users (and read their GIDs).</summary>
    public const string AdminUsers = "admin_users";

    /// <summary>Grant and record dataset accesses, manage ACLs, read access histories (the Kubernetes operator's role).</summary>
    public const string AdminDatasetAccess = "admin_datasetAccess";

    /// <summary>Create and manage every project.</summary>
    public const string AdminProjects = "admin_projects";

    /// <summary>Members of project X are in the group <c>PROJECT-X</c>.</summary>
    public const string ProjectGroupPrefix = "PROJECT-";

    /// <summary>Managers of project X are in the group <c>ADMINS-PROJECT-X</c>.</summary>
    public const string ProjectAdminsGroupPrefix = "ADMINS-PROJECT-";

    /// <summary>Every role the service knows, for <c>GET /userRoles</c> and validation.</summary>
    public static IReadOnlyList<string> All { get; } = [UseDatasets, AdminDatasets, SuperadminDatasets, AdminUsers, AdminDatasetAccess, AdminProjects];
}
