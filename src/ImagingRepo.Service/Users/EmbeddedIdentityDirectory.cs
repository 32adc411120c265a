using System.Collections.Concurrent;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Options;

namespace ImagingRepo.Service.Users;

/// <summary>
/// The identity directory kept in the service's own <c>users</c> table: users registered with <c>PUT /users</c> and
/// users seen with a valid token. A token's roles and projects win over stored ones, as Keycloak's would.
/// </summary>
internal sealed class EmbeddedIdentityDirectory(Database database, UserRepository users, IOptions<ServiceOptions> options, TimeProvider time) : IIdentityDirectory
{
    // What was last written per user: a token seen again with the same claims costs no write.
    private readonly ConcurrentDictionary<string, string> _remembered = new(StringComparer.Ordinal);

    public Task<UserRecord?> FindAsync(string username, CancellationToken cancellationToken) =>
        database.ReadAsync(s => users.GetAsync(s, username, cancellationToken), cancellationToken);

    public async Task RememberAsync(PlatformUser user, CancellationToken cancellationToken)
    {
        if (user.UserName is not { } username || user.Uid is not { } uid) return;
        var roles = user.Roles.Order(StringComparer.Ordinal).ToArray();
        var projects = user.Projects.Order(StringComparer.Ordinal).ToArray();
        var fingerprint = string.Join('\n', uid, user.Name, user.Email, string.Join(',', roles), string.Join(',', projects));
        if (_remembered.TryGetValue(username, out var known) && known == fingerprint) return;
        await database.InTransactionAsync(async session =>
        {
            var stored = await users.GetAsync(session, username, cancellationToken).ConfigureAwait(false);
            await users.UpsertAsync(session, new UserRecord
            {
                Username = username,
                Uid = uid,
                Gid = stored?.Gid,
                Name = user.Name ?? stored?.Name ?? "",
                Email = user.Email ?? stored?.Email ?? "",
                SiteCode = stored?.SiteCode,
                Roles = roles,
                Projects = projects,
                Disabled = stored?.Disabled ?? false,
                EmailVerified = stored?.EmailVerified ?? false,
                CreationDate = stored?.CreationDate ?? time.GetUtcNow(),
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        _remembered[username] = fingerprint;
    }

    public Task<(List<UserRecord> Page, int Total)> SearchAsync(bool? disabled, string? search, int skip, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(s => users.SearchAsync(s, disabled, search, skip, limit, cancellationToken), cancellationToken);

    /// <summary>Nothing to create: the projects table is the embedded directory's list of project groups.</summary>
    public Task EnsureProjectGroupsAsync(string code, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task SaveAsync(string username, int? gid, IReadOnlyList<string>? roles, IReadOnlyList<string>? projects, string? siteCode, bool siteGiven,
        CancellationToken cancellationToken)
    {
        await database.InTransactionAsync(async session =>
        {
            var stored = await users.GetAsync(session, username, cancellationToken).ConfigureAwait(false);
            var newGid = gid switch
            {
                null => stored?.Gid,
                -1 => stored?.Gid ?? await users.NextGidAsync(session, options.Value.FirstUserGid, cancellationToken).ConfigureAwait(false),
                _ => gid,
            };
            if (siteGiven && siteCode is not null && await users.SiteAsync(session, siteCode, cancellationToken).ConfigureAwait(false) is null)
            {
                throw ServiceProblemException.Invalid($"'siteCode': no site '{siteCode}'.");
            }

            try
            {
                await users.UpsertAsync(session, new UserRecord
                {
                    Username = username,
                    Uid = stored?.Uid,
                    Gid = newGid,
                    Name = stored?.Name ?? "",
                    Email = stored?.Email ?? "",
                    SiteCode = siteGiven ? siteCode : stored?.SiteCode,
                    Roles = roles ?? stored?.Roles ?? [],
                    Projects = projects ?? stored?.Projects ?? [],
                    Disabled = stored?.Disabled ?? false,
                    EmailVerified = stored?.EmailVerified ?? false,
                    CreationDate = stored?.CreationDate ?? time.GetUtcNow(),
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e) when (IsUniqueViolation(e))
            {
                throw ServiceProblemException.Conflict($"The GID {newGid} belongs to another user.");
            }
        }, cancellationToken).ConfigureAwait(false);
        _remembered.TryRemove(username, out _);
    }

    internal static bool IsUniqueViolation(System.Data.Common.DbException e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };
}
