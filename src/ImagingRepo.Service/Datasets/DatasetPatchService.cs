using System.Text.Json;
using ImagingRepo.Service.Hosting;
using ImagingRepo.Service.Pids;
using ImagingRepo.Service.Security;
using ImagingRepo.Service.Storage;
using ImagingRepo.Service.Traces;
using ImagingRepo.Tracing.Model;

namespace ImagingRepo.Service.Datasets;

/// <summary>
/// <c>PATCH /datasets/{id}</c>: one property at a time, under the lifecycle's rules, in one transaction with the
/// UPDATE_DATASET trace of the change (RELEASE, PUBLISH, UNPUBLISH, INVALIDATE, REACTIVATE, LICENSE_UPDATED,
/// PID_UPDATED, CONTACT_INFORMATION_UPDATED, AUTHOR_CHANGED). Changes of a draft's descriptive properties are not
/// traced (the tracer has no detail for them, as in CHAIMELEON), nor are tags, the invalidation reason and publicUse.
/// A value equal to the current one changes nothing and records nothing.
/// </summary>
internal sealed class DatasetPatchService(
    Database database,
    DatasetRepository datasets,
    UserRepository users,
    DatasetTraceRecorder traces,
    DatasetPidCoordinator pids)
{
    public async Task PatchAsync(PlatformUser user, string id, PropertyPatchBody body, CancellationToken cancellationToken)
    {
        if (!user.IsAuthenticated) throw ServiceProblemException.Unauthenticated();
        var property = body.Property ?? throw ServiceProblemException.Invalid("'property' is required.");
        if (!DatasetPermissions.PatchableProperties.Contains(property, StringComparer.Ordinal))
        {
            throw ServiceProblemException.Invalid($"'property': '{property}' is not one of {string.Join(", ", DatasetPermissions.PatchableProperties)}.");
        }

        if (body.Value.ValueKind == JsonValueKind.Undefined) throw ServiceProblemException.Invalid("'value' is required.");

        await database.InTransactionAsync(async session =>
        {
            var dataset = await datasets.GetAsync(session, id, true, cancellationToken).ConfigureAwait(false);
            if (dataset is null || !DatasetPermissions.CanView(user, dataset)) throw ServiceProblemException.NotFound($"No dataset '{id}'.");
            if (!DatasetPermissions.CanModify(user, dataset))
            {
                throw ServiceProblemException.Forbidden($"{user} may not change the dataset '{id}' (its author or a superadmin may).");
            }

            if (!DatasetPermissions.EditableProperties(user, dataset).Contains(property, StringComparer.Ordinal))
            {
                // What only a superadmin may change is a matter of permission (403); what nobody may change now, of state (409).
                if (!user.IsSuperadmin && DatasetPermissions.EditableProperties(AsSuperadmin(user), dataset).Contains(property, StringComparer.Ordinal))
                {
                    throw ServiceProblemException.Forbidden($"'{property}' may be changed only by a superadmin.");
                }

                throw ServiceProblemException.Conflict(NotEditable(dataset, property));
            }

            var details = await ApplyAsync(session, user, dataset, property, body.Value, cancellationToken).ConfigureAwait(false);
            if (details is not { } changed) return;
            // The persistent identifier follows the change before it is written: when its registry fails, nothing is.
            await pids.OnChangedAsync(session, dataset, changed.Trace, cancellationToken).ConfigureAwait(false);
            await datasets.UpdateAsync(session, dataset, cancellationToken).ConfigureAwait(false);
            if (changed.Trace is { } trace)
            {
                await traces.RecordUpdateAsync(session, dataset.Id, user.Uid!, trace, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Changes the record; null when the value is the current one, else the trace detail (if the change is traced).</summary>
    private async Task<Change?> ApplyAsync(DbSession session, PlatformUser user, DatasetRecord d, string property, JsonElement value, CancellationToken ct)
    {
        switch (property)
        {
            case "draft":
                if (InputRules.Boolean(value, "value")) return null; // a draft stays a draft
                await ReleaseAsync(session, d, ct).ConfigureAwait(false);
                return new(TraceUpdateDetails.Release);
            case "public":
            {
                var publish = InputRules.Boolean(value, "value");
                if (publish == d.Public) return null;
                d.Public = publish;
                if (!publish) d.PublicUse = false;
                return new(publish ? TraceUpdateDetails.Publish : TraceUpdateDetails.Unpublish);
            }

            case "publicUse":
            {
                var publicUse = InputRules.Boolean(value, "value");
                if (publicUse == d.PublicUse) return null;
                d.PublicUse = publicUse;
                return new(null);
            }

            case "invalidated":
            {
                var invalidate = InputRules.Boolean(value, "value");
                if (invalidate == d.Invalidated) return null;
                d.Invalidated = invalidate;
                if (!invalidate) d.InvalidationReason = null;
                return new(invalidate ? TraceUpdateDetails.Invalidate : TraceUpdateDetails.Reactivate);
            }

            case "invalidationReason":
                return Set(d.InvalidationReason, InputRules.String(value, "value", 128), v => d.InvalidationReason = v, null);
            case "name":
                return Set(d.Name, InputRules.String(value, "value", 128, 3), v => d.Name = v, null);
            case "version":
                return Set(d.Version, InputRules.String(value, "value", 16), v => d.Version = v, null);
            case "description":
                return Set(d.Description, InputRules.String(value, "value", DatasetCreationRequestReader.MaxFreeText), v => d.Description = v, null);
            case "provenance":
                return Set(d.Provenance, InputRules.String(value, "value", DatasetCreationRequestReader.MaxFreeText), v => d.Provenance = v, null);
            case "purpose":
                return Set(d.Purpose, InputRules.String(value, "value", DatasetCreationRequestReader.MaxFreeText), v => d.Purpose = v, null);
            case "tags":
                return SetList(d.Tags, InputRules.Tags(InputRules.Strings(value, "value"), "value"), v => d.Tags = v);
            case "type":
                return SetList(d.Types, InputRules.OneOf(InputRules.Strings(value, "value"), "value", DatasetCreationRequestReader.Types), v => d.Types = v);
            case "collectionMethod":
                return SetList(d.CollectionMethods, InputRules.OneOf(InputRules.Strings(value, "value"), "value", DatasetCreationRequestReader.CollectionMethods),
                    v => d.CollectionMethods = v);
            case "previousId":
                return await SetPreviousAsync(session, user, d, value, ct).ConfigureAwait(false);
            case "license":
            {
                var members = InputRules.Object(value, "value", "title", "url");
                var title = members.TryGetValue("title", out var t) ? InputRules.String(t, "value.title", 128) : throw ServiceProblemException.Invalid("'value.title' is required.");
                var url = members.TryGetValue("url", out var u) ? InputRules.String(u, "value.url", 256) : throw ServiceProblemException.Invalid("'value.url' is required.");
                if (url.Length > 0) InputRules.Url(url, "value.url", 256, allowEmpty: false);
                if (title == d.LicenseTitle && url == d.LicenseUrl) return null;
                d.LicenseTitle = title;
                d.LicenseUrl = url;
                return new(TraceUpdateDetails.LicenseUpdated);
            }

            case "pids":
                if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("preferred", out var wanted) && wanted.ValueKind == JsonValueKind.String
                    && wanted.GetString()?.Trim() == "zenodoDoi")
                {
                    await pids.MintForPreferenceAsync(session, d, ct).ConfigureAwait(false);
                }

                return SetPids(d, value);
            case "contactInfo":
                return Set(d.ContactInfo, InputRules.String(value, "value", 256), v => d.ContactInfo = v, TraceUpdateDetails.ContactInformationUpdated);
            case "authorId":
            {
                var authorId = InputRules.String(value, "value", 64, 1);
                if (authorId == d.AuthorId) return null;
                var author = await users.GetByUidAsync(session, authorId, ct).ConfigureAwait(false)
                    ?? throw ServiceProblemException.Invalid($"'value': no user has the id '{authorId}'.");
                d.AuthorId = authorId;
                d.AuthorName = author.Name.Length > 0 ? author.Name : author.Username;
                d.AuthorEmail = author.Email;
                return new(TraceUpdateDetails.AuthorChanged);
            }

            default:
                throw ServiceProblemException.Invalid($"'property': '{property}' cannot be changed.");
        }
    }

    /// <summary>
    /// Draft → Released. A new version releases only when it is the one draft naming its previous dataset and that
    /// dataset has no released next version yet; the previous one then points at it (<c>nextId</c>).
    /// </summary>
    private async Task ReleaseAsync(DbSession session, DatasetRecord d, CancellationToken ct)
    {
        if (d.Creating) throw ServiceProblemException.Conflict($"The dataset '{d.Id}' is still being created and cannot be released yet.");
        if (d.PreviousId is { } previousId)
        {
            var previous = await datasets.GetAsync(session, previousId, true, ct).ConfigureAwait(false)
                ?? throw ServiceProblemException.Conflict($"The previous version '{previousId}' no longer exists; set previousId to null first.");
            var others = await datasets.OtherVersionsOfAsync(session, previousId, d.Id, ct).ConfigureAwait(false);
            if (others.Count > 0)
            {
                throw ServiceProblemException.Conflict(
                    $"Other datasets also name '{previousId}' as their previous version: {string.Join(", ", others)}. Only one can be its next version.");
            }

            if (previous.NextId is { } next)
            {
                throw ServiceProblemException.Conflict($"The previous version '{previousId}' already has a next version ('{next}').");
            }

            previous.NextId = d.Id;
            await datasets.UpdateAsync(session, previous, ct).ConfigureAwait(false);
        }

        d.Draft = false;
    }

    private async Task<Change?> SetPreviousAsync(DbSession session, PlatformUser user, DatasetRecord d, JsonElement value, CancellationToken ct)
    {
        string? previousId = value.ValueKind == JsonValueKind.Null ? null : InputRules.String(value, "value", 40, 1);
        if (previousId == d.PreviousId) return null;
        if (previousId is not null)
        {
            if (previousId == d.Id) throw ServiceProblemException.Invalid("'value': a dataset cannot be its own previous version.");
            var previous = await datasets.GetAsync(session, previousId, false, ct).ConfigureAwait(false);
            if (previous is null || !DatasetPermissions.CanView(user, previous)) throw ServiceProblemException.Invalid($"'value': no dataset '{previousId}'.");
            if (!DatasetPermissions.CanModify(user, previous)) throw ServiceProblemException.Forbidden($"'value': the dataset '{previousId}' is not editable by {user}.");
        }

        d.PreviousId = previousId;
        return new(null);
    }

    private static Change? SetPids(DatasetRecord d, JsonElement value)
    {
        var members = InputRules.Object(value, "value", "preferred", "urls");
        var preferred = members.TryGetValue("preferred", out var p) ? InputRules.String(p, "value.preferred", 32).Trim() : throw ServiceProblemException.Invalid("'value.preferred' is required.");
        string? custom = d.PidCustom;
        switch (preferred)
        {
            case "custom":
                var urls = members.TryGetValue("urls", out var u) ? InputRules.Object(u, "value.urls", "custom", "zenodoDoi") : throw ServiceProblemException.Invalid("'value.urls' is required for a custom pid.");
                custom = urls.TryGetValue("custom", out var c) ? InputRules.Url(InputRules.String(c, "value.urls.custom", 256), "value.urls.custom", 256, allowEmpty: false)
                    : throw ServiceProblemException.Invalid("'value.urls.custom' is required for a custom pid.");
                break;
            case "zenodoDoi":
                if (d.PidZenodoDoi is null)
                {
                    throw ServiceProblemException.Conflict($"The dataset '{d.Id}' has no Zenodo DOI: no persistent-identifier provider is configured for its project.");
                }

                break;
            default:
                throw ServiceProblemException.Invalid("'value.preferred' must be 'zenodoDoi' or 'custom'.");
        }

        if (preferred == d.PidPreferred && custom == d.PidCustom) return null;
        d.PidPreferred = preferred;
        d.PidCustom = custom;
        return new(TraceUpdateDetails.PidUpdated);
    }

    private static Change? Set(string? current, string value, Action<string> set, TraceUpdateDetails? trace)
    {
        if (string.Equals(current, value, StringComparison.Ordinal)) return null;
        set(value);
        return new(trace);
    }

    private static Change? SetList(IReadOnlyList<string> current, IReadOnlyList<string> value, Action<IReadOnlyList<string>> set)
    {
        if (current.SequenceEqual(value, StringComparer.Ordinal)) return null;
        set(value);
        return new(null);
    }

    private static PlatformUser AsSuperadmin(PlatformUser user) =>
        new(user.Uid, user.UserName, user.Name, user.Email, [.. user.Roles, PlatformRoles.SuperadminDatasets], []);

    private static string NotEditable(DatasetRecord d, string property) => property switch
    {
        "draft" when d.Creating => $"The dataset '{d.Id}' is still being created and cannot be released yet.",
        "draft" => $"The dataset '{d.Id}' has been released already; a release cannot be undone.",
        "public" or "pids" or "publicUse" when d.Draft => $"'{property}' can change only once the dataset '{d.Id}' has been released.",
        "public" or "pids" or "publicUse" when d.Invalidated => $"'{property}' cannot change while the dataset '{d.Id}' is invalidated.",
        "invalidationReason" => $"'invalidationReason' can be set only while the dataset '{d.Id}' is invalidated.",
        "publicUse" => $"'publicUse' can change only while the dataset '{d.Id}' is public.",
        _ => $"'{property}' can change only while the dataset is a draft; '{d.Id}' has been released.",
    };

    /// <summary>A change made; <see cref="Trace"/> says how it is traced, null when it is not.</summary>
    private readonly record struct Change(TraceUpdateDetails? Trace);
}
