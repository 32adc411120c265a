namespace ImagingRepo.Service.Tests.Infrastructure;

/// <summary>
/// The test personas of <c>scripts/services/oidc-personas.json</c>: oidc-provider clients whose client-credentials
/// tokens carry a platform user's claims (user name, roles, groups) as Keycloak issues them.
/// </summary>
public static class Personas
{
    /// <summary>use_datasets in PROJECT-ALPHA.</summary>
    public const string Reader = "persona-reader";

    /// <summary>admin_datasets in PROJECT-ALPHA.</summary>
    public const string Curator = "persona-curator";

    /// <summary>A second admin_datasets in PROJECT-ALPHA (not the author of the curator's datasets).</summary>
    public const string Curator2 = "persona-curator2";

    /// <summary>admin_datasets in PROJECT-BETA only.</summary>
    public const string Foreign = "persona-foreign";

    /// <summary>superadmin_datasets.</summary>
    public const string Superadmin = "persona-superadmin";

    /// <summary>admin_datasetAccess (the Kubernetes operator).</summary>
    public const string AccessAdmin = "persona-access-admin";

    /// <summary>admin_users in PROJECT-ALPHA.</summary>
    public const string UserAdmin = "persona-user-admin";

    /// <summary>admin_projects.</summary>
    public const string ProjectAdmin = "persona-project-admin";

    /// <summary>use_datasets, member and manager of ALPHA (ADMINS-PROJECT-ALPHA).</summary>
    public const string AlphaManager = "persona-alpha-manager";

    /// <summary>No role, no group.</summary>
    public const string Nobody = "persona-nobody";

    /// <summary>superadmin_datasets whose tokens live one second.</summary>
    public const string Expiring = "persona-expiring";

    /// <summary>No token at all.</summary>
    public const string Anonymous = "anonymous";

    /// <summary>The user name each persona's token carries (<c>preferred_username</c>).</summary>
    public static string UserName(string persona) => persona switch
    {
        Reader => "reader",
        Curator => "curator",
        Curator2 => "curator2",
        Foreign => "foreign",
        Superadmin => "superadmin",
        AccessAdmin => "accessadmin",
        UserAdmin => "useradmin",
        ProjectAdmin => "projectadmin",
        AlphaManager => "alphamanager",
        Nobody => "nobody",
        Expiring => "expiring",
        _ => throw new ArgumentOutOfRangeException(nameof(persona), persona, "no such persona"),
    };
}
