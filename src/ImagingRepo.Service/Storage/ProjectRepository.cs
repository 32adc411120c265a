using System.Data.Common;
using ImagingRepo.Service.Projects;

namespace ImagingRepo.Service.Storage;

/// <summary>Reads and writes <c>projects</c> and <c>subprojects</c>.</summary>
internal sealed class ProjectRepository
{
    private const string Columns =
        "code, name, short_description, external_url, logo_url, default_contact_info, default_license_title, default_license_url, " +
        "zenodo_access_token, zenodo_author, zenodo_community, zenodo_grant";

    public Task<List<ProjectRecord>> ListAsync(DbSession session, CancellationToken cancellationToken) =>
        session.QueryAsync($"SELECT {Columns} FROM projects ORDER BY code", Map, cancellationToken);

    public Task<ProjectRecord?> GetAsync(DbSession session, string code, CancellationToken cancellationToken) =>
        session.QuerySingleAsync($"SELECT {Columns} FROM projects WHERE code = @code", Map, cancellationToken, ("@code", code));

    /// <summary>Creates the project or replaces all its properties and settings.</summary>
    public Task<int> UpsertAsync(DbSession session, ProjectRecord p, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            $"INSERT INTO projects ({Columns}) VALUES (@code, @name, @short, @external, @logo, @contact, @license_title, @license_url, " +
            "@token, @author, @community, @grant) ON CONFLICT (code) DO UPDATE SET name = excluded.name, short_description = excluded.short_description, " +
            "external_url = excluded.external_url, logo_url = excluded.logo_url, default_contact_info = excluded.default_contact_info, " +
            "default_license_title = excluded.default_license_title, default_license_url = excluded.default_license_url, " +
            "zenodo_access_token = excluded.zenodo_access_token, zenodo_author = excluded.zenodo_author, " +
            "zenodo_community = excluded.zenodo_community, zenodo_grant = excluded.zenodo_grant",
            cancellationToken, ("@code", p.Code), ("@name", p.Name), ("@short", p.ShortDescription), ("@external", p.ExternalUrl),
            ("@logo", p.LogoUrl), ("@contact", p.Config.DefaultContactInfo), ("@license_title", p.Config.DefaultLicenseTitle),
            ("@license_url", p.Config.DefaultLicenseUrl), ("@token", p.Config.ZenodoAccessToken), ("@author", p.Config.ZenodoAuthor),
            ("@community", p.Config.ZenodoCommunity), ("@grant", p.Config.ZenodoGrant));

    public Task<int> DeleteAsync(DbSession session, string code, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM projects WHERE code = @code", cancellationToken, ("@code", code));

    public Task<List<SubprojectRecord>> SubprojectsAsync(DbSession session, string code, CancellationToken cancellationToken) =>
        session.QueryAsync("SELECT code, name, description, external_id FROM subprojects WHERE project_code = @code ORDER BY code",
            r => new SubprojectRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)), cancellationToken, ("@code", code));

    public Task<int> UpsertSubprojectAsync(DbSession session, string project, SubprojectRecord s, CancellationToken cancellationToken) =>
        session.ExecuteAsync(
            "INSERT INTO subprojects (project_code, code, name, description, external_id) VALUES (@project, @code, @name, @description, @external) " +
            "ON CONFLICT (project_code, code) DO UPDATE SET name = excluded.name, description = excluded.description, external_id = excluded.external_id",
            cancellationToken, ("@project", project), ("@code", s.Code), ("@name", s.Name), ("@description", s.Description), ("@external", s.ExternalId));

    private static ProjectRecord Map(DbDataReader r) => new()
    {
        Code = r.GetString(0),
        Name = r.GetString(1),
        ShortDescription = r.GetString(2),
        ExternalUrl = r.GetString(3),
        LogoUrl = r.GetString(4),
        Config = new ProjectConfigRecord
        {
            DefaultContactInfo = r.GetString(5),
            DefaultLicenseTitle = r.GetString(6),
            DefaultLicenseUrl = r.GetString(7),
            ZenodoAccessToken = r.GetString(8),
            ZenodoAuthor = r.GetString(9),
            ZenodoCommunity = r.GetString(10),
            ZenodoGrant = r.GetString(11),
        },
    };
}
