using System.Data.Common;
using System.Globalization;
using System.Text;
using ImagingRepo.Service.Users;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads and writes <c>users</c> and <c>sites</c>.</summary>
internal sealed class UserRepository
{
    private const string Columns = "username, uid, gid, name, email, site_code, roles, projects, disabled, email_verified, creation_date";

    public Task<UserRecord?> GetAsync(DbSession session, string username, CancellationToken cancellationToken) =>
        session.QuerySingleAsync($"SELECT {Columns} FROM users WHERE username = @username", Map, cancellationToken, ("@username", username));

    public Task<UserRecord?> GetByUidAsync(DbSession session, string uid, CancellationToken cancellationToken) =>
        session.QuerySingleAsync($"SELECT {Columns} FROM users WHERE uid = @uid", Map, cancellationToken, ("@uid", uid));

    public Task<int> UpsertAsync(DbSession session, UserRecord u, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"INSERT INTO users ({Columns}) VALUES (@username, @uid, @gid, @name, @email, @site, @roles, @projects, @disabled, @verified, @created) " +
            "ON CONFLICT (username) DO UPDATE SET uid = excluded.uid, gid = excluded.gid, name = excluded.name, email = excluded.email, " +
            "site_code = excluded.site_code, roles = excluded.roles, projects = excluded.projects, disabled = excluded.disabled, " +
            "email_verified = excluded.email_verified",
            cancellationToken, ("@username", u.Username), ("@uid", u.Uid), ("@gid", u.Gid), ("@name", u.Name), ("@email", u.Email),
            ("@site", u.SiteCode), ("@roles", StorageJson.Write(u.Roles)), ("@projects", StorageJson.Write(u.Projects)),
            ("@disabled", u.Disabled), ("@verified", u.EmailVerified), ("@created", u.CreationDate.ToUnixTimeMilliseconds()));

    /// <summary>The next free GID at or above <paramref name="first"/>.</summary>
    public async Task<int> NextGidAsync(DbSession session, int first, CancellationToken cancellationToken)
    {
        var max = await session.ScalarAsync("SELECT MAX(gid) FROM users", cancellationToken).ConfigureAwait(false);
        return max is null ? first : Math.Max(first, Convert.ToInt32(max, CultureInfo.InvariantCulture) + 1);
    }

    public async Task<(List<UserRecord> Page, int Total)> SearchAsync(DbSession session, bool? disabled, string? search, int skip, int limit, CancellationToken cancellationToken)
    {
        var where = new StringBuilder("1 = 1");
        var parameters = new List<KeyValuePair<string, object?>>();
        if (disabled is { } d)
        {
            where.Append(" AND disabled = @disabled");
            parameters.Add(new("@disabled", d));
        }

        if (!string.IsNullOrEmpty(search))
        {
            where.Append(" AND (lower(username) LIKE @search ESCAPE '\\' OR lower(name) LIKE @search ESCAPE '\\' OR lower(email) LIKE @search ESCAPE '\\')");
            parameters.Add(new("@search", "%" + search.ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
                .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"));
        }

        var total = Convert.ToInt32((await session.QueryAsync($"SELECT COUNT(*) FROM users WHERE {where}", r => r.GetValue(0), parameters, cancellationToken)
            .ConfigureAwait(false))[0], CultureInfo.InvariantCulture);
        var sql = $"SELECT {Columns} FROM users WHERE {where} ORDER BY username";
        if (limit > 0)
        {
            sql += " LIMIT @limit";
            parameters.Add(new("@limit", limit));
        }
        else if (skip > 0)
        {
            sql += session.Database.Provider == StorageProvider.Sqlite ? " LIMIT -1" : " LIMIT ALL";
        }

        if (skip > 0)
        {
            sql += " OFFSET @skip";
            parameters.Add(new("@skip", skip));
        }

        return (await session.QueryAsync(sql, Map, parameters, cancellationToken).ConfigureAwait(false), total);
    }

    public Task<List<SiteRecord>> SitesAsync(DbSession session, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT code, name, country, url, contact_name, contact_email FROM sites ORDER BY code", MapSite, cancellationToken);

    public Task<SiteRecord?> SiteAsync(DbSession session, string code, CancellationToken cancellationToken) =>
        session.QuerySingleAsync("SELECT code, name, country, url, contact_name, contact_email FROM sites WHERE code = @code", MapSite,
            cancellationToken, ("@code", code));

    public Task<int> UpsertSiteAsync(DbSession session, SiteRecord s, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "INSERT INTO sites (code, name, country, url, contact_name, contact_email) VALUES (@code, @name, @country, @url, @contact, @email) " +
            "ON CONFLICT (code) DO UPDATE SET name = excluded.name, country = excluded.country, url = excluded.url, " +
            "contact_name = excluded.contact_name, contact_email = excluded.contact_email",
            cancellationToken, ("@code", s.Code), ("@name", s.Name), ("@country", s.Country), ("@url", s.Url), ("@contact", s.ContactName),
            ("@email", s.ContactEmail));

    private static SiteRecord MapSite(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5));

    private static UserRecord Map(DbDataReader r) => new()
    {
        Username = r.GetString(0),
        Uid = r.NullableString(1),
        Gid = r.NullableInt32(2),
        Name = r.GetString(3),
        Email = r.GetString(4),
        SiteCode = r.NullableString(5),
        Roles = StorageJson.ReadList(r.GetString(6)),
        Projects = StorageJson.ReadList(r.GetString(7)),
        Disabled = r.Boolean(8),
        EmailVerified = r.Boolean(9),
        CreationDate = r.Time(10),
    };
}
