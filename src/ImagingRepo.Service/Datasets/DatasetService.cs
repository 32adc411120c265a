using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using Microsoft.Extensions.Logging;

namespace ImagingRepo.Service.Datasets;

/// <summary>Creates, reads, lists and deletes datasets, and lists their studies, with the platform's permissions.</summary>
internal sealed partial class DatasetService(
    Database database,
    DatasetRepository datasets,
    DatasetListIndex listIndex,
    StudyRepository studies,
    AclRepository acl,
    ProjectRepository projects,
    CreationStatusRepository creationStatus,
    DatasetAccessRepository accesses,
    IDatasetCreationQueue creationQueue,
    TimeProvider time,
    ILogger<DatasetService> logger)
{
    /// <summary>Stores a new draft dataset (with its studies and subjects), then queues its creation; returns its id.</summary>
    public async Task<string> CreateAsync(PlatformUser user, DatasetCreationBody body, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!user.CanCreateDatasets) throw ServiceProblemException.Forbidden("Creating datasets needs the role admin_datasets.");

        var name = InputRules.Required(body.Name, "name", 128, 3);
        var version = InputRules.Optional(body.Version, "version", 16);
        var subproject = body.Subproject is null ? "" : InputRules.Code(body.Subproject, "subproject");
        var description = InputRules.Optional(body.Description, "description", DatasetCreationRequestReader.MaxFreeText);
        var provenance = InputRules.Optional(body.Provenance, "provenance", DatasetCreationRequestReader.MaxFreeText);
        var purpose = InputRules.Optional(body.Purpose, "purpose", DatasetCreationRequestReader.MaxFreeText);
        var types = InputRules.OneOf(body.Type, "type", DatasetCreationRequestReader.Types);
        var methods = InputRules.OneOf(body.CollectionMethod, "collectionMethod", DatasetCreationRequestReader.CollectionMethods);
        var previousId = body.PreviousId is null ? null : InputRules.Required(body.PreviousId, "previousId", 40);
        var (studyRecords, subjectRecords) = DatasetCreationRequestReader.ReadContent(body);

        var id = Guid.NewGuid().ToString("D");
        await database.InTransactionAsync(async session =>
        {
            var projectCode = await ChooseProjectAsync(session, user, body.Project, cancellationToken).ConfigureAwait(false);
            var project = await projects.GetAsync(session, projectCode, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.Invalid($"The project '{projectCode}' does not exist.");
            if (previousId is not null)
            {
                var previous = await datasets.GetAsync(session, previousId, false, cancellationToken).ConfigureAwait(false);
                if (previous is null || !DatasetPermissions.CanView(user, previous))
                {
                    throw ServiceProblemException.Invalid($"'previousId': the dataset '{previousId}' does not exist.");
                }

                if (!DatasetPermissions.CanModify(user, previous))
                {
                    throw ServiceProblemException.Forbidden($"'previousId': the dataset '{previousId}' is not editable by {user}.");
                }
            }

            var now = time.GetUtcNow();
            await datasets.InsertAsync(session, new DatasetRecord
            {
                Id = id,
                Name = name,
                Version = version,
                Project = project.Code,
                Subproject = subproject,
                PreviousId = previousId,
                AuthorId = user.Uid!,
                AuthorName = user.Name ?? user.UserName ?? user.Uid!,
                AuthorEmail = user.Email ?? "",
                CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
                Description = description,
                Provenance = provenance,
                Purpose = purpose,
                Types = types,
                CollectionMethods = methods,
                LicenseTitle = project.Config.DefaultLicenseTitle,
                LicenseUrl = project.Config.DefaultLicenseUrl,
                ContactInfo = project.Config.DefaultContactInfo,
                StudiesCount = studyRecords.Count,
                SubjectsCount = studyRecords.Select(s => s.SubjectName).Distinct(StringComparer.Ordinal).Count(),
            }, cancellationToken).ConfigureAwait(false);
            await studies.InsertAsync(session, id, studyRecords, cancellationToken).ConfigureAwait(false);
            await studies.InsertSubjectsAsync(session, id, subjectRecords, cancellationToken).ConfigureAwait(false);
            await creationStatus.SetAsync(session, id, new DatasetCreationStatus(DatasetCreationState.Pending, "Waiting for the creation to start."), now,
                cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await creationQueue.EnqueueAsync(id, cancellationToken).ConfigureAwait(false);
        LogCreated(id, studyRecords.Count);
        return id;
    }

    /// <summary>A dataset with what the user may do with it; 404 when it does not exist or the user may not see it.</summary>
    public Task<DatasetDetailsWire> GetAsync(PlatformUser user, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var dataset = await VisibleAsync(session, user, id, cancellationToken).ConfigureAwait(false);
            var inAcl = user.UserName is { } name && await acl.ContainsAsync(session, id, name, cancellationToken).ConfigureAwait(false);
            return DatasetWireMapper.ToDetails(dataset, user.IsAuthenticated, DatasetPermissions.EditableProperties(user, dataset),
                DatasetPermissions.AllowedActions(user, dataset, inAcl));
        }, cancellationToken);

    /// <summary>One page of the datasets the user may see that match <paramref name="search"/>.</summary>
    public Task<DatasetListWire> SearchAsync(PlatformUser user, DatasetSearch search, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            var visible = search with { Visibility = DatasetPermissions.Visibility(user) };
            var (page, total) = string.IsNullOrEmpty(search.SearchSubject)
                ? await listIndex.SearchAsync(session, visible, cancellationToken).ConfigureAwait(false)
                : await datasets.SearchListAsync(session, visible, cancellationToken).ConfigureAwait(false);
            return new DatasetListWire(total, page.Count, search.Skip, search.Limit, page,
                user.CanCreateDatasets ? ["create"] : []);
        }, cancellationToken);

    /// <summary>One page of a dataset's studies (paths and hashes left out).</summary>
    public Task<PageWire<StudyWire>> StudiesAsync(PlatformUser user, string id, int skip, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            await VisibleAsync(session, user, id, cancellationToken).ConfigureAwait(false);
            var (page, total) = await studies.PageAsync(session, id, skip, limit, cancellationToken).ConfigureAwait(false);
            var userName = user.UserName ?? "unregistered";
            return new PageWire<StudyWire>(total, page.Count, skip, limit, [.. page.Select(s => DatasetWireMapper.ToWire(s, userName))]);
        }, cancellationToken);

    public Task<CreationStatusWire> CreationStatusAsync(PlatformUser user, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async session =>
        {
            await VisibleAsync(session, user, id, cancellationToken).ConfigureAwait(false);
            var status = await creationStatus.GetAsync(session, id, cancellationToken).ConfigureAwait(false) ?? DatasetCreationStatus.Finished;
            return new CreationStatusWire(id, DatasetCreationStates.Name(status.State), status.LastMessage);
        }, cancellationToken);

    /// <summary>
    /// Deletes a draft that is being created or failed (its author or a superadmin), or any draft (a superadmin). A
    /// released dataset is invalidated instead: its traces must keep pointing at it.
    /// </summary>
    public async Task DeleteAsync(PlatformUser user, string id, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var dataset = await database.ReadAsync(s => VisibleAsync(s, user, id, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!DatasetPermissions.CanModify(user, dataset)) throw ServiceProblemException.Forbidden($"{user} may not delete the dataset '{id}'.");
        if (!DatasetPermissions.CanDelete(user, dataset))
        {
            throw ServiceProblemException.Conflict(dataset.Draft
                ? $"The dataset '{id}' has been created; only a superadmin may delete it now. Invalidate it instead."
                : $"The dataset '{id}' has been released and cannot be deleted; invalidate it instead.");
        }

        // The creation stops first, so that no worker writes into a dataset that is going away.
        if (dataset.Creating) await creationQueue.CancelAsync(id, cancellationToken).ConfigureAwait(false);
        await database.InTransactionAsync(async session =>
        {
            var current = await datasets.GetAsync(session, id, true, cancellationToken).ConfigureAwait(false)
                ?? throw ServiceProblemException.NotFound($"No dataset '{id}'.");
            if (!DatasetPermissions.CanDelete(user, current)) throw ServiceProblemException.Conflict($"The dataset '{id}' changed meanwhile and can no longer be deleted.");
            var open = await accesses.OpenForDatasetAsync(session, id, cancellationToken).ConfigureAwait(false);
            if (open.Count > 0) throw ServiceProblemException.Conflict($"The dataset '{id}' is in use by the accesses {string.Join(", ", open)}.");
            await datasets.DeleteAsync(session, id, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        LogDeleted(id);
    }

    /// <summary>Released, valid datasets without a newer version that the user may name as a new dataset's previous version.</summary>
    public Task<List<UpgradableDatasetWire>> UpgradableAsync(PlatformUser user, string? project, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        if (!user.CanCreateDatasets) throw ServiceProblemException.Forbidden("Listing upgradable datasets needs the role admin_datasets.");
        return database.ReadAsync(async session =>
        {
            var rows = await datasets.UpgradableAsync(session, user.IsSuperadmin ? null : user.Uid, project, cancellationToken).ConfigureAwait(false);
            return rows.Select(r => new UpgradableDatasetWire(r.Id, r.Name, r.Version)).ToList();
        }, cancellationToken);
    }

    /// <summary>The dataset if it exists and the user may see it; else 404 (the same answer, so existence does not leak).</summary>
    internal async Task<DatasetRecord> VisibleAsync(DbSession session, PlatformUser user, string id, CancellationToken cancellationToken)
    {
        var dataset = await datasets.GetAsync(session, id, false, cancellationToken).ConfigureAwait(false);
        if (dataset is null || !DatasetPermissions.CanView(user, dataset)) throw ServiceProblemException.NotFound($"No dataset '{id}'.");
        return dataset;
    }

    private async Task<string> ChooseProjectAsync(DbSession session, PlatformUser user, string? requested, CancellationToken cancellationToken)
    {
        if (requested is not null)
        {
            var code = InputRules.Code(requested, "project");
            if (!user.IsSuperadmin && !user.Projects.Contains(code))
            {
                throw ServiceProblemException.Forbidden($"{user} has not joined the project '{code}' and cannot create datasets in it.");
            }

            return code;
        }

        // Without a project (older clients), the user's first project, as the CHAIMELEON service does.
        var candidates = user.IsSuperadmin
            ? (await projects.ListAsync(session, cancellationToken).ConfigureAwait(false)).Select(p => p.Code)
            : user.Projects.Order(StringComparer.Ordinal);
        return candidates.FirstOrDefault() ?? throw ServiceProblemException.Invalid("'project' is required: the user has joined no project.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset {DatasetId} stored with {Studies} studies; creation queued")]
    private partial void LogCreated(string datasetId, int studies);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset {DatasetId} deleted")]
    private partial void LogDeleted(string datasetId);
}
