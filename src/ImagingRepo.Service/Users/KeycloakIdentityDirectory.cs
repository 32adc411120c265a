using System.Globalization;
using System.Text.Json.Nodes;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Users;

/// <summary>
/// The identity directory in a Keycloak realm, as the CHAIMELEON platform keeps it: users (enabled or not, attributes
/// such as the GID and the site), project groups <c>PROJECT-&lt;code&gt;</c> and <c>ADMINS-PROJECT-&lt;code&gt;</c>,
/// memberships, and the platform roles as Keycloak maps them. What Keycloak has no equivalent for stays in the service's
/// own database: handing out the next free GID (reserved in the <c>users</c> table, whose GIDs are unique) and the
/// site list. Users are never created here: they register in Keycloak or come from its identity federation.
/// </summary>
internal sealed class KeycloakIdentityDirectory(
    KeycloakAdminClient keycloak, Database database, UserRepository users, IOptions<IdentityDirectoryOptions> options, IOptions<ServiceOptions> serviceOptions,
    TimeProvider time) : IIdentityDirectory
{
    private IdentityDirectoryOptions Options => options.Value;

    public async Task<UserRecord?> FindAsync(string username, CancellationToken cancellationToken)
    {
        var user = await keycloak.FindUserAsync(username, cancellationToken).ConfigureAwait(false);
        if (user is null) return null;
        var groups = await keycloak.UserGroupsAsync(user.Id, cancellationToken).ConfigureAwait(false);
        var roles = await keycloak.UserRolesAsync(user.Id, cancellationToken).ConfigureAwait(false);
        return ToRecord(user) with
        {
            Roles = [.. roles.Where(PlatformRoles.All.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Projects = [.. ProjectCodes(groups).Keys.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Nothing to do: Keycloak issued the token, so it already knows everything the token says.</summary>
    public Task RememberAsync(PlatformUser user, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One page from Keycloak's user search (username, e-mail, first and last name) with its count; the list items carry
    /// no roles or projects (that would cost two calls per user, and the list does not show them).
    /// </summary>
    public async Task<(List<UserRecord> Page, int Total)> SearchAsync(bool? disabled, string? search, int skip, int limit, CancellationToken cancellationToken)
    {
        bool? enabled = disabled is { } d ? !d : null;
        var total = await keycloak.CountUsersAsync(search, enabled, cancellationToken).ConfigureAwait(false);
        var page = new List<KeycloakUser>();
        // limit 0 asks for everything after skip: read it in pages, as Keycloak caps an unbounded list.
        var want = limit > 0 ? limit : int.MaxValue;
        for (var first = skip; page.Count < want;)
        {
            var max = Math.Min(want - page.Count, Options.PageSize);
            var chunk = await keycloak.SearchUsersAsync(search, enabled, first, max, cancellationToken).ConfigureAwait(false);
            page.AddRange(chunk);
            if (chunk.Count < max) break;
            first += chunk.Count;
        }

        return ([.. page.Select(ToRecord)], total);
    }

    public async Task SaveAsync(string username, int? gid, IReadOnlyList<string>? roles, IReadOnlyList<string>? projects, string? siteCode, bool siteGiven,
        CancellationToken cancellationToken)
    {
        var user = await keycloak.FindUserAsync(username, cancellationToken).ConfigureAwait(false)
            ?? throw ServiceProblemException.NotFound($"No user '{username}' in Keycloak: users register there (or come from its identity federation); the service does not create them.");

        if (roles is not null)
        {
            var current = (await keycloak.UserRolesAsync(user.Id, cancellationToken).ConfigureAwait(false)).Where(PlatformRoles.All.Contains).ToHashSet(StringComparer.Ordinal);
            if (!current.SetEquals(roles))
            {
                throw ServiceProblemException.Conflict(
                    $"The roles of '{username}' are assigned in Keycloak (role mappings of the client or realm, often through groups), not through this service.");
            }
        }

        if (siteGiven && siteCode is not null
            && await database.ReadAsync(s => users.SiteAsync(s, siteCode, cancellationToken), cancellationToken).ConfigureAwait(false) is null)
        {
            throw ServiceProblemException.Invalid($"'siteCode': no site '{siteCode}'.");
        }

        int? newGid = gid switch
        {
            null => (int?)null,
            -1 when ParseGid(user.Attribute(Options.GidAttribute)) is { } kept => kept,
            _ => await ReserveGidAsync(user, gid.Value, cancellationToken).ConfigureAwait(false),
        };
        var gidText = newGid?.ToString(CultureInfo.InvariantCulture);
        var changeGid = gidText is not null && user.Attribute(Options.GidAttribute) != gidText;
        var changeSite = siteGiven && user.Attribute(Options.SiteAttribute) != siteCode;
        if (changeGid || changeSite)
        {
            await keycloak.UpdateAttributesAsync(user.Id, attributes =>
            {
                if (changeGid) attributes[Options.GidAttribute] = new JsonArray(gidText);
                if (changeSite)
                {
                    if (siteCode is null) attributes.Remove(Options.SiteAttribute);
                    else attributes[Options.SiteAttribute] = new JsonArray(siteCode);
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        if (projects is not null) await SetProjectsAsync(user.Id, projects, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates <c>PROJECT-&lt;code&gt;</c> and <c>ADMINS-PROJECT-&lt;code&gt;</c> unless they exist.</summary>
    public async Task EnsureProjectGroupsAsync(string code, CancellationToken cancellationToken)
    {
        await keycloak.EnsureGroupAsync(PlatformRoles.ProjectGroupPrefix + code, cancellationToken).ConfigureAwait(false);
        await keycloak.EnsureGroupAsync(PlatformRoles.ProjectAdminsGroupPrefix + code, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Joins the user to the project groups wanted and removes them from the other <c>PROJECT-</c> groups (manager groups are left alone).</summary>
    private async Task SetProjectsAsync(string userId, IReadOnlyList<string> wanted, CancellationToken cancellationToken)
    {
        var current = ProjectCodes(await keycloak.UserGroupsAsync(userId, cancellationToken).ConfigureAwait(false));
        foreach (var code in wanted.Where(c => !current.ContainsKey(c)))
        {
            var groupId = await keycloak.EnsureGroupAsync(PlatformRoles.ProjectGroupPrefix + code, cancellationToken).ConfigureAwait(false);
            await keycloak.JoinAsync(userId, groupId, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (code, groupId) in current.Where(c => !wanted.Contains(c.Key, StringComparer.Ordinal)))
        {
            await keycloak.LeaveAsync(userId, groupId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A GID for the user, reserved in the service's <c>users</c> table (unique GIDs): Keycloak cannot hand out the next
    /// free number. -1 takes the user's earlier reservation or the next free one; a given GID must be nobody else's,
    /// in the table or in Keycloak.
    /// </summary>
    private async Task<int> ReserveGidAsync(KeycloakUser user, int gid, CancellationToken cancellationToken)
    {
        if (gid != -1 && await keycloak.AnyOtherUserWithAttributeAsync(Options.GidAttribute, gid.ToString(CultureInfo.InvariantCulture), user.Id, cancellationToken)
                .ConfigureAwait(false))
        {
            throw ServiceProblemException.Conflict($"The GID {gid} belongs to another user.");
        }

        var reserved = gid;
        await database.InTransactionAsync(async session =>
        {
            var stored = await users.GetAsync(session, user.Username, cancellationToken).ConfigureAwait(false);
            reserved = gid != -1 ? gid
                : stored?.Gid ?? await users.NextGidAsync(session, serviceOptions.Value.FirstUserGid, cancellationToken).ConfigureAwait(false);
            try
            {
                await users.UpsertAsync(session, (stored ?? ToRecord(user) with { Name = "", Email = "" }) with { Uid = user.Id, Gid = reserved }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e) when (EmbeddedIdentityDirectory.IsUniqueViolation(e))
            {
                throw ServiceProblemException.Conflict($"The GID {reserved} belongs to another user.");
            }
        }, cancellationToken).ConfigureAwait(false);
        return reserved;
    }

    private UserRecord ToRecord(KeycloakUser u) => new()
    {
        Username = u.Username,
        Uid = u.Id,
        Gid = ParseGid(u.Attribute(Options.GidAttribute)),
        Name = string.Join(' ', new[] { u.FirstName, u.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))),
        Email = u.Email ?? "",
        SiteCode = u.Attribute(Options.SiteAttribute),
        Disabled = !u.Enabled,
        EmailVerified = u.EmailVerified,
        CreationDate = u.CreatedTimestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : time.GetUtcNow(),
    };

    private static int? ParseGid(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : null;

    /// <summary>Project code → group id of the user's <c>PROJECT-</c> groups (by name, wherever they sit in the group tree).</summary>
    private static Dictionary<string, string> ProjectCodes(IEnumerable<KeycloakGroup> groups)
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            if (g.Name.StartsWith(PlatformRoles.ProjectGroupPrefix, StringComparison.Ordinal) && g.Name.Length > PlatformRoles.ProjectGroupPrefix.Length)
            {
                codes[g.Name[PlatformRoles.ProjectGroupPrefix.Length..]] = g.Id;
            }
        }

        return codes;
    }
}
