using ImagingRepo.Service.Security;

namespace ImagingRepo.Service.Users;

/// <summary>
/// Where the platform's users, their roles and their projects live: the service's own table by default
/// (<see cref="EmbeddedIdentityDirectory"/>), Keycloak's admin API in production (<see cref="KeycloakIdentityDirectory"/>). The access check asks it for the
/// roles and projects of a user who is not the caller.
/// </summary>
internal interface IIdentityDirectory
{
    /// <summary>The user, or null when unknown.</summary>
    Task<UserRecord?> FindAsync(string username, CancellationToken cancellationToken);

    /// <summary>Records what a validated token says about its user (identity, roles, projects), keeping GID and site; a no-op where the directory issued the token itself.</summary>
    Task RememberAsync(PlatformUser user, CancellationToken cancellationToken);

    /// <summary>One page of users matching the filters, and their total.</summary>
    Task<(List<UserRecord> Page, int Total)> SearchAsync(bool? disabled, string? search, int skip, int limit, CancellationToken cancellationToken);

    /// <summary>Creates or changes a user: the values given replace the stored ones, the null ones are kept.</summary>
    /// <param name="username">The user.</param>
    /// <param name="gid">-1 to hand out the next free GID, a value to set it, null to keep it.</param>
    /// <param name="roles">The roles, or null to keep them.</param>
    /// <param name="projects">The project codes, or null to keep them.</param>
    /// <param name="siteCode">The site, when <paramref name="siteGiven"/>.</param>
    /// <param name="siteGiven">Whether the site was given (null then clears it).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task SaveAsync(string username, int? gid, IReadOnlyList<string>? roles, IReadOnlyList<string>? projects, string? siteCode, bool siteGiven, CancellationToken cancellationToken);

    /// <summary>
    /// Makes sure the groups of project <paramref name="code"/> exist (<c>PROJECT-&lt;code&gt;</c> for its members,
    /// <c>ADMINS-PROJECT-&lt;code&gt;</c> for its managers); idempotent.
    /// </summary>
    Task EnsureProjectGroupsAsync(string code, CancellationToken cancellationToken);
}

/// <summary>The platform view of a directory user.</summary>
internal static class UserRecordExtensions
{
    public static PlatformUser ToPlatformUser(this UserRecord user) =>
        new(user.Uid ?? user.Username, user.Username, user.Name, user.Email, user.Roles,
            user.Projects.Select(p => PlatformRoles.ProjectGroupPrefix + p));
}
