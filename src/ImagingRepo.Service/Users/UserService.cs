using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;

namespace ImagingRepo.Service.Users;

/// <summary>Users (with their GID, roles, projects and site) and sites, for the role admin_users.</summary>
internal sealed class UserService(Database database, UserRepository users, ProjectRepository projects, IIdentityDirectory directory)
{
    public async Task<PageWire<UserListItemWire>> SearchAsync(PlatformUser user, bool? disabled, string? search, int skip, int limit, CancellationToken cancellationToken)
    {
        RequireUserAdmin(user);
        var (page, total) = await directory.SearchAsync(disabled, search?.Trim(), skip, limit, cancellationToken).ConfigureAwait(false);
        return new PageWire<UserListItemWire>(total, page.Count, skip, limit,
            [.. page.Select(u => new UserListItemWire(u.Uid, u.Username, u.Gid, u.Email, u.Name, DatasetWireMapper.Utc(u.CreationDate), u.Disabled, u.EmailVerified))]);
    }

    public async Task SaveAsync(PlatformUser user, string username, UserBody body, CancellationToken cancellationToken)
    {
        RequireUserAdmin(user);
        InputRules.Required(username, "username", 128);
        if (body.Gid is < -1) throw ServiceProblemException.Invalid("'gid' must be -1 (hand out the next one) or a GID.");
        var roles = body.Roles is null ? null : InputRules.OneOf(body.Roles, "roles", PlatformRoles.All);
        IReadOnlyList<string>? projectCodes = null;
        if (body.Projects is not null)
        {
            projectCodes = [.. body.Projects.Select((p, i) => InputRules.Code(p, $"projects[{i}]")).Distinct(StringComparer.Ordinal)];
            var known = await database.ReadAsync(s => projects.ListAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (var code in projectCodes)
            {
                if (!known.Any(p => p.Code == code)) throw ServiceProblemException.Invalid($"'projects': no project '{code}'.");
                if (!user.IsSuperadmin && !user.CanAdminProjects && !user.Projects.Contains(code))
                {
                    throw ServiceProblemException.Forbidden($"{user} may assign users only to the projects they have joined, not to '{code}'.");
                }
            }
        }

        var site = body.SiteCode is null ? null : InputRules.Code(body.SiteCode, "siteCode", 16);
        await directory.SaveAsync(username, body.Gid, roles, projectCodes, site, body.SiteCodeGiven, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserRecord> GetAsync(PlatformUser user, string username, CancellationToken cancellationToken)
    {
        RequireUserAdmin(user);
        return await directory.FindAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw ServiceProblemException.NotFound($"No user '{username}'.");
    }

    public IReadOnlyList<string> Roles(PlatformUser user)
    {
        RequireUserAdmin(user);
        return PlatformRoles.All;
    }

    public Task<List<SiteRecord>> SitesAsync(PlatformUser user, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        return database.ReadAsync(s => users.SitesAsync(s, cancellationToken), cancellationToken);
    }

    public async Task<SiteRecord> SiteAsync(PlatformUser user, string code, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        return await database.ReadAsync(s => users.SiteAsync(s, code, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw ServiceProblemException.NotFound($"No site '{code}'.");
    }

    public Task SaveSiteAsync(PlatformUser user, string code, SiteBody body, CancellationToken cancellationToken)
    {
        RequireUserAdmin(user);
        var site = new SiteRecord(
            InputRules.Code(code, "code", 16),
            InputRules.Required(body.Name, "name", 50, 3),
            InputRules.Required(body.Country, "country", 40, 3),
            InputRules.Url(body.Url, "url", 256, allowEmpty: true),
            InputRules.Optional(body.ContactName, "contactName", 128),
            InputRules.Optional(body.ContactEmail, "contactEmail", 128));
        return database.InTransactionAsync(s => users.UpsertSiteAsync(s, site, cancellationToken), cancellationToken);
    }

    private static void RequireUserAdmin(PlatformUser user)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!user.CanAdminUsers) throw ServiceProblemException.Forbidden("This operation needs the role admin_users.");
    }
}
