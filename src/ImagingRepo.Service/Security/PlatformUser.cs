namespace ImagingRepo.Service.Security;

/// <summary>
/// The caller as the platform sees them: identity, roles (with the implied ones added) and groups. An anonymous
/// caller has no uid; public datasets and the project list are open to them.
/// </summary>
internal sealed class PlatformUser
{
    private readonly HashSet<string> _roles;
    private readonly HashSet<string> _projects = new(StringComparer.Ordinal);
    private readonly HashSet<string> _managedProjects = new(StringComparer.Ordinal);

    public PlatformUser(string? uid, string? userName, string? name, string? email, IEnumerable<string> roles, IEnumerable<string> groups)
    {
        Uid = uid;
        UserName = userName;
        Name = name;
        Email = email;
        _roles = new HashSet<string>(roles, StringComparer.Ordinal);
        // The roles include each other: superadmin ⊃ admin ⊃ use, as the CHAIMELEON service reads them.
        if (_roles.Contains(PlatformRoles.SuperadminDatasets)) _roles.Add(PlatformRoles.AdminDatasets);
        if (_roles.Contains(PlatformRoles.AdminDatasets)) _roles.Add(PlatformRoles.UseDatasets);
        foreach (var raw in groups)
        {
            // Keycloak's group mapper writes full paths ("/PROJECT-X") unless told otherwise.
            var group = raw.TrimStart('/');
            if (group.StartsWith(PlatformRoles.ProjectAdminsGroupPrefix, StringComparison.Ordinal))
            {
                _managedProjects.Add(group[PlatformRoles.ProjectAdminsGroupPrefix.Length..]);
            }
            else if (group.StartsWith(PlatformRoles.ProjectGroupPrefix, StringComparison.Ordinal))
            {
                _projects.Add(group[PlatformRoles.ProjectGroupPrefix.Length..]);
            }
        }
    }

    /// <summary>An unregistered caller.</summary>
    public static PlatformUser Anonymous { get; } = new(null, null, null, null, [], []);

    /// <summary>The identity provider's subject (<c>sub</c>); null when anonymous.</summary>
    public string? Uid { get; }

    /// <summary>The unique user name (<c>preferred_username</c>).</summary>
    public string? UserName { get; }

    public string? Name { get; }

    public string? Email { get; }

    public bool IsAuthenticated => Uid is not null;

    public IReadOnlySet<string> Roles => _roles;

    /// <summary>The projects the user has joined (groups <c>PROJECT-X</c>).</summary>
    public IReadOnlySet<string> Projects => _projects;

    /// <summary>The projects the user manages (groups <c>ADMINS-PROJECT-X</c>).</summary>
    public IReadOnlySet<string> ManagedProjects => _managedProjects;

    public bool Has(string role) => IsAuthenticated && _roles.Contains(role);

    public bool IsSuperadmin => Has(PlatformRoles.SuperadminDatasets);

    public bool CanCreateDatasets => Has(PlatformRoles.AdminDatasets);

    public bool CanAdminDatasetAccess => Has(PlatformRoles.AdminDatasetAccess);

    public bool CanAdminUsers => Has(PlatformRoles.AdminUsers);

    public bool CanAdminProjects => Has(PlatformRoles.AdminProjects);

    /// <summary>Whether the user may change project <paramref name="code"/> (its properties and settings).</summary>
    public bool CanModifyProject(string code) => CanAdminProjects || (IsAuthenticated && _managedProjects.Contains(code));

    /// <summary>The user's name for messages: the user name, else the uid.</summary>
    public override string ToString() => UserName ?? Uid ?? "anonymous";
}
