using System.Globalization;
using ImagingRepo.Service.Datasets;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Traces;
using ImagingRepo.Service.Users;

namespace ImagingRepo.Service.Access;

/// <summary>
/// Who may use which datasets: the per-dataset ACL, the access check the Kubernetes operator asks before mounting
/// datasets, the access records it opens and closes (each interactive access traced as USE_DATASETS), and a dataset's
/// access history.
/// </summary>
internal sealed class AccessService(
    Database database,
    DatasetRepository datasets,
    AclRepository acl,
    DatasetAccessRepository accesses,
    UserRepository users,
    IIdentityDirectory directory,
    DatasetService datasetService,
    DatasetTraceRecorder traces,
    TimeProvider time)
{
    public Task<List<AclEntryWire>> AclAsync(PlatformUser user, string datasetId, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            await ManageableAsync(session, user, datasetId, cancellationToken).ConfigureAwait(false);
            var entries = await acl.ListAsync(session, datasetId, cancellationToken).ConfigureAwait(false);
            return entries.Select(e => new AclEntryWire(e.Uid, e.Username)).ToList();
        }, cancellationToken);

    /// <summary>Adds a user to a dataset's ACL; the user must be known to the platform.</summary>
    public Task AddToAclAsync(PlatformUser user, string datasetId, string username, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            await ManageableAsync(session, user, datasetId, cancellationToken).ConfigureAwait(false);
            _ = await users.GetAsync(session, username, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.NotFound($"No user '{username}'.");
            await acl.AddAsync(session, datasetId, username, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task RemoveFromAclAsync(PlatformUser user, string datasetId, string username, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async session =>
        {
            await ManageableAsync(session, user, datasetId, cancellationToken).ConfigureAwait(false);
            await acl.RemoveAsync(session, datasetId, username, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The ids of <paramref name="body"/>'s datasets the named user may not use (empty: access granted).</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(PlatformUser user, AccessCheckBody body, CancellationToken cancellationToken)
    {
        RequireAccessAdmin(user);
        var userName = InputRules.Required(body.UserName, "userName", 128);
        var ids = ReadIds(body.Datasets);
        return await database.ReadAsync(s => DeniedAsync(s, userName, ids, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens an access when the user may use every dataset (403 otherwise), counts one use of each, and traces
    /// interactive accesses as USE_DATASETS (batch jobs run from a traced workspace, as in CHAIMELEON).
    /// </summary>
    public Task OpenAsync(PlatformUser user, string accessId, DatasetAccessBody body, CancellationToken cancellationToken)
    {
        RequireAccessAdmin(user);
        InputRules.Required(accessId, "id", 256);
        var userName = InputRules.Required(body.UserName, "userName", 128);
        var ids = ReadIds(body.Datasets);
        var toolName = InputRules.Optional(body.ToolName, "toolName", 256);
        var toolVersion = InputRules.Optional(body.ToolVersion, "toolVersion", 256);
        var record = new DatasetAccessRecord
        {
            Id = accessId,
            Username = userName,
            DatasetIds = ids,
            AccessType = body.IsJob == true ? "b" : "i",
            InstanceName = InputRules.Optional(body.InstanceName, "instanceName", 256),
            ToolName = toolName,
            ToolVersion = toolVersion,
            Image = InputRules.Optional(body.Image, "image", 256),
            CommandLine = InputRules.Optional(body.CommandLine, "commandLine", 512),
            ResourcesFlavor = InputRules.Optional(body.ResourcesFlavor, "resourcesFlavor", 128),
            OpenchallengeJobType = InputRules.Optional(body.OpenchallengeJobType, "openchallengeJobType", 128),
            CreationTime = time.GetUtcNow(),
        };

        return database.InTransactionAsync(async session =>
        {
            var denied = await DeniedAsync(session, userName, ids, cancellationToken).ConfigureAwait(false);
            if (denied.Count > 0) throw ServiceProblemException.Forbidden($"Access denied to the datasets {string.Join(", ", denied)}.");
            if (await accesses.ExistsAsync(session, accessId, cancellationToken).ConfigureAwait(false))
            {
                throw ServiceProblemException.Conflict($"The dataset access '{accessId}' exists already.");
            }

            var target = await users.GetAsync(session, userName, cancellationToken).ConfigureAwait(false);
            await accesses.InsertAsync(session, record, cancellationToken).ConfigureAwait(false);
            foreach (var dataset in await datasets.GetManyAsync(session, ids, cancellationToken).ConfigureAwait(false))
            {
                dataset.TimesUsed++;
                await datasets.UpdateAsync(session, dataset, cancellationToken).ConfigureAwait(false);
            }

            if (record.AccessType == "i")
            {
                await traces.RecordUseAsync(session, ids, target?.Uid ?? userName, toolName, toolVersion, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    public Task CloseAsync(PlatformUser user, string accessId, DatasetAccessEndBody body, CancellationToken cancellationToken)
    {
        RequireAccessAdmin(user);
        var start = ReadTime(body.StartTime, "startTime");
        var end = ReadTime(body.EndTime, "endTime");
        var status = body.Status is null ? null : InputRules.Text(body.Status, "status", 64);
        return database.InTransactionAsync(async session =>
        {
            if (await accesses.CloseAsync(session, accessId, start, end ?? time.GetUtcNow(), status, cancellationToken).ConfigureAwait(false) == 0)
            {
                throw ServiceProblemException.NotFound($"No dataset access '{accessId}'.");
            }
        }, cancellationToken);
    }

    public Task<PageWire<DatasetAccessWire>> HistoryAsync(PlatformUser user, string datasetId, int skip, int limit, CancellationToken cancellationToken)
    {
        RequireAccessAdmin(user);
        return database.ReadAsync(async session =>
        {
            await datasetService.VisibleAsync(session, user, datasetId, cancellationToken).ConfigureAwait(false);
            var (page, total) = await accesses.PageForDatasetAsync(session, datasetId, skip, limit, cancellationToken).ConfigureAwait(false);
            return new PageWire<DatasetAccessWire>(total, page.Count, skip, limit, [.. page.Select(ToWire)]);
        }, cancellationToken);
    }

    private async Task<List<string>> DeniedAsync(DbSession session, string userName, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var target = await directory.FindAsync(userName, cancellationToken).ConfigureAwait(false);
        if (target is null || target.Disabled) return [.. ids];
        var platformUser = target.ToPlatformUser();
        var found = (await datasets.GetManyAsync(session, ids, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.Id, StringComparer.Ordinal);
        var denied = new List<string>();
        foreach (var id in ids)
        {
            if (!found.TryGetValue(id, out var dataset)
                || !DatasetPermissions.CanUse(platformUser, dataset, await acl.ContainsAsync(session, id, userName, cancellationToken).ConfigureAwait(false)))
            {
                denied.Add(id);
            }
        }

        return denied;
    }

    private async Task ManageableAsync(DbSession session, PlatformUser user, string datasetId, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var dataset = await datasets.GetAsync(session, datasetId, false, cancellationToken).ConfigureAwait(false);
        if (dataset is null || !(DatasetPermissions.CanView(user, dataset) || user.CanAdminDatasetAccess))
        {
            throw ServiceProblemException.NotFound($"No dataset '{datasetId}'.");
        }

        if (!DatasetPermissions.CanManageAcl(user, dataset))
        {
            throw ServiceProblemException.Forbidden($"{user} may not manage the ACL of the dataset '{datasetId}'.");
        }
    }

    private static void RequireAccessAdmin(PlatformUser user)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!user.CanAdminDatasetAccess) throw ServiceProblemException.Forbidden("This operation needs the role admin_datasetAccess.");
    }

    private static List<string> ReadIds(IReadOnlyList<string>? ids)
    {
        if (ids is null || ids.Count == 0) throw ServiceProblemException.Invalid("'datasets' is required: at least one dataset id.");
        if (ids.Count > 1000) throw ServiceProblemException.Invalid("'datasets': at most 1000 dataset ids.");
        return [.. ids.Select((id, i) => InputRules.Required(id, $"datasets[{i}]", 40)).Distinct(StringComparer.Ordinal)];
    }

    private static DateTimeOffset? ReadTime(string? value, string property)
    {
        if (string.IsNullOrEmpty(value)) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw ServiceProblemException.Invalid($"'{property}' must be an ISO 8601 time, like 2024-01-12T13:11:48Z.");
    }

    private static DatasetAccessWire ToWire(DatasetAccessRecord a) => new()
    {
        CreationTime = DatasetWireMapper.Utc(a.CreationTime),
        Username = a.Username,
        AccessType = a.AccessType,
        InstanceName = a.InstanceName,
        ToolName = a.ToolName,
        ToolVersion = a.ToolVersion,
        Image = a.Image,
        ResourcesFlavor = a.ResourcesFlavor,
        Duration = a.AccessType == "b" && a.StartTime is { } s && a.EndTime is { } e ? (int)Math.Round((e - s).TotalMinutes) : null,
        StartTime = a.StartTime is { } start ? DatasetWireMapper.Utc(start) : null,
        EndTime = a.EndTime is { } end ? DatasetWireMapper.Utc(end) : null,
        EndStatus = a.EndStatus,
        CmdLine = a.CommandLine,
        OpenchallengeJobType = a.OpenchallengeJobType,
    };
}
