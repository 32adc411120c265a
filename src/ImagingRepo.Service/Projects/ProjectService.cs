using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;

namespace ImagingRepo.Service.Projects;

/// <summary>
/// Projects, their settings (defaults of new datasets, Zenodo account) and subprojects. Anyone may list and read
/// projects; admin_projects creates and deletes them; their managers (ADMINS-PROJECT-&lt;code&gt;) change them.
/// </summary>
internal sealed class ProjectService(Database database, ProjectRepository projects, DatasetRepository datasets, Users.IIdentityDirectory directory)
{
    private static readonly string[] EditableProperties = ["name", "shortDescription", "externalUrl", "logoUrl"];

    public async Task<object> ListAsync(PlatformUser user, string? purpose, CancellationToken cancellationToken)
    {
        switch (purpose ?? "projectList")
        {
            case "projectList":
                var all = await database.ReadAsync(s => projects.ListAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false);
                return new ProjectListWire([.. all.Select(p => new ProjectListItemWire(p.Code, p.Name, p.LogoUrl))], user.CanAdminProjects ? ["create"] : []);
            case "datasetCreation":
            case "userManagement":
                if (!user.IsAuthenticated) return Array.Empty<string>();
                if (!user.IsSuperadmin) return user.Projects.Order(StringComparer.Ordinal).ToArray();
                var codes = await database.ReadAsync(s => projects.ListAsync(s, cancellationToken), cancellationToken).ConfigureAwait(false);
                return codes.Select(p => p.Code).ToArray();
            case "datasetSearchFilter":
                return (await database.ReadAsync(s => datasets.VisibleProjectsAsync(s, DatasetPermissions.Visibility(user), cancellationToken), cancellationToken)
                    .ConfigureAwait(false)).ToArray();
            default:
                throw ServiceProblemException.Invalid("'purpose' must be one of projectList, datasetCreation, userManagement, datasetSearchFilter.");
        }
    }

    public async Task<ProjectDetailsWire> GetAsync(PlatformUser user, string code, CancellationToken cancellationToken)
    {
        var project = await database.ReadAsync(s => projects.GetAsync(s, code, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
        var canModify = user.CanModifyProject(code);
        return new ProjectDetailsWire(project.Code, project.Name, project.ShortDescription, project.ExternalUrl, project.LogoUrl,
            canModify ? EditableProperties : [], canModify ? ["config", "viewSubprojects"] : []);
    }

    /// <summary>Creates (admin_projects) or replaces (a manager of the project) a project with its settings.</summary>
    public async Task SaveAsync(PlatformUser user, string code, ProjectBody body, CancellationToken cancellationToken)
    {
        InputRules.Code(code, "code");
        var name = InputRules.Required(body.Name, "name", 160, 3);
        var shortDescription = InputRules.Required(body.ShortDescription, "shortDescription", DatasetCreationRequestReader.MaxFreeText, 0);
        var externalUrl = InputRules.Url(body.ExternalUrl, "externalUrl", 256, allowEmpty: true);
        var logoUrl = InputRules.Url(body.LogoUrl, "logoUrl", 256, allowEmpty: true);
        // The spec leaves projectConfig optional: a new project starts without defaults, a replaced one keeps its own.
        var config = body.ProjectConfig is { } configBody ? ReadConfig(configBody) : null;
        await database.InTransactionAsync(async session =>
        {
            var existing = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false);
            RequireModify(user, code, creating: existing is null);
            await projects.UpsertAsync(session, new ProjectRecord
            {
                Code = code,
                Name = name,
                ShortDescription = shortDescription,
                ExternalUrl = externalUrl,
                LogoUrl = logoUrl,
                Config = config ?? existing?.Config ?? new(),
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        // After the commit, and on every save: the groups are made idempotently, so saving the project again repairs a
        // directory that was unreachable the first time.
        await directory.EnsureProjectGroupsAsync(code, cancellationToken).ConfigureAwait(false);
    }

    public Task PatchAsync(PlatformUser user, string code, PropertyPatchBody body, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var property = body.Property ?? throw ServiceProblemException.Invalid("'property' is required.");
        if (!EditableProperties.Contains(property, StringComparer.Ordinal))
        {
            throw ServiceProblemException.Invalid($"'property': '{property}' is not one of {string.Join(", ", EditableProperties)}.");
        }

        return database.InTransactionAsync(async session =>
        {
            var project = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
            RequireModify(user, code, creating: false);
            var changed = property switch
            {
                "name" => project with { Name = InputRules.String(body.Value, "value", 160, 3) },
                "shortDescription" => project with { ShortDescription = InputRules.String(body.Value, "value", DatasetCreationRequestReader.MaxFreeText) },
                "externalUrl" => project with { ExternalUrl = InputRules.Url(InputRules.String(body.Value, "value", 256), "value", 256, allowEmpty: true) },
                _ => project with { LogoUrl = InputRules.Url(InputRules.String(body.Value, "value", 256), "value", 256, allowEmpty: true) },
            };
            await projects.UpsertAsync(session, changed, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public Task DeleteAsync(PlatformUser user, string code, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
            if (!user.CanAdminProjects) throw ServiceProblemException.Forbidden("Deleting projects needs the role admin_projects.");
            _ = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false) ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
            if (await datasets.AnyInProjectAsync(session, code, cancellationToken).ConfigureAwait(false))
            {
                throw ServiceProblemException.Conflict($"The project '{code}' still has datasets; only an empty project can be deleted.");
            }

            await projects.DeleteAsync(session, code, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public async Task<ProjectConfigWire> ConfigAsync(PlatformUser user, string code, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var project = await database.ReadAsync(s => projects.GetAsync(s, code, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (project is null) throw ServiceProblemException.NotFound($"No project '{code}'.");
        RequireModify(user, code, creating: false);
        var c = project.Config;
        return new ProjectConfigWire(c.DefaultContactInfo, new LicenseWire(c.DefaultLicenseTitle, c.DefaultLicenseUrl), c.ZenodoAccessToken, c.ZenodoAuthor,
            c.ZenodoCommunity, c.ZenodoGrant);
    }

    public Task SaveConfigAsync(PlatformUser user, string code, ProjectConfigBody body, CancellationToken cancellationToken)
    {
        var config = ReadConfig(body);
        return database.InTransactionAsync(async session =>
        {
            var project = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false);
            if (project is null)
            {
                if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
                throw ServiceProblemException.NotFound($"No project '{code}'.");
            }

            RequireModify(user, code, creating: false);
            await projects.UpsertAsync(session, project with { Config = config }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    public async Task<SubprojectListWire> SubprojectsAsync(PlatformUser user, string code, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var list = await database.ReadAsync(async s =>
        {
            _ = await projects.GetAsync(s, code, cancellationToken).ConfigureAwait(false) ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
            return await projects.SubprojectsAsync(s, code, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return new SubprojectListWire([.. list.Select(s => new SubprojectWire(s.Code, s.Name, s.Description, s.ExternalId))],
            user.CanModifyProject(code) ? ["create", "edit"] : []);
    }

    public Task SaveSubprojectAsync(PlatformUser user, string code, string subcode, SubprojectBody body, CancellationToken cancellationToken)
    {
        var subproject = new SubprojectRecord(InputRules.Code(subcode, "subcode"), InputRules.Optional(body.Name, "name", 50),
            InputRules.Optional(body.Description, "description", 80), InputRules.Optional(body.ExternalId, "externalId", 40));
        return database.InTransactionAsync(async session =>
        {
            _ = await projects.GetAsync(session, code, cancellationToken).ConfigureAwait(false) ?? throw ServiceProblemException.NotFound($"No project '{code}'.");
            RequireModify(user, code, creating: false);
            await projects.UpsertSubprojectAsync(session, code, subproject, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static void RequireModify(PlatformUser user, string code, bool creating)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (creating ? !user.CanAdminProjects : !user.CanModifyProject(code))
        {
            throw ServiceProblemException.Forbidden(creating
                ? "Creating projects needs the role admin_projects."
                : $"{user} may not change the project '{code}' (admin_projects or ADMINS-PROJECT-{code} may).");
        }
    }

    private static ProjectConfigRecord ReadConfig(ProjectConfigBody body)
    {
        var license = body.DefaultLicense;
        return new ProjectConfigRecord
        {
            DefaultContactInfo = InputRules.Optional(body.DefaultContactInfo, "defaultContactInfo", 256),
            DefaultLicenseTitle = InputRules.Optional(license?.Title, "defaultLicense.title", 128),
            DefaultLicenseUrl = InputRules.Url(license?.Url, "defaultLicense.url", 256, allowEmpty: true),
            ZenodoAccessToken = InputRules.Optional(body.ZenodoAccessToken, "zenodoAccessToken", 128),
            ZenodoAuthor = InputRules.Optional(body.ZenodoAuthor, "zenodoAuthor", 128),
            ZenodoCommunity = InputRules.Optional(body.ZenodoCommunity, "zenodoCommunity", 128),
            ZenodoGrant = InputRules.Optional(body.ZenodoGrant, "zenodoGrant", 128),
        };
    }
}
