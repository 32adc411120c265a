using ImagingRepo.Service.Datasets;

namespace ImagingRepo.Service.Security;

/// <summary>
/// Who may see, use, change and delete a dataset, after the CHAIMELEON service's rules (authorization.py), with two
/// deliberate differences: <c>publicUse</c> opens a public dataset to every registered user as the v1 spec says, and
/// a released dataset is never deleted (it is invalidated instead), since its traces would point at nothing.
/// </summary>
internal static class DatasetPermissions
{
    /// <summary>Properties of <c>PATCH /datasets/{id}</c>, in the order of the spec.</summary>
    public static IReadOnlyList<string> PatchableProperties { get; } =
    [
        "draft", "public", "publicUse", "invalidated", "invalidationReason", "name", "version", "description", "tags", "provenance",
        "purpose", "type", "collectionMethod", "previousId", "license", "pids", "contactInfo", "authorId",
    ];

    public static bool CanView(PlatformUser user, DatasetRecord dataset)
    {
        if (user.IsSuperadmin) return true;
        if (dataset.Draft && (!user.IsAuthenticated || user.Uid != dataset.AuthorId)) return false;
        if (dataset.Public) return true;
        return user.Projects.Contains(dataset.Project);
    }

    public static bool CanUse(PlatformUser user, DatasetRecord dataset, bool inAcl)
    {
        if (!user.Has(PlatformRoles.UseDatasets) || !CanView(user, dataset)) return false;
        if (dataset.Draft && dataset.Creating) return false;
        if (user.IsSuperadmin) return true;
        if (dataset.Invalidated) return false;
        if (user.Projects.Contains(dataset.Project)) return true;
        return dataset.Public && (dataset.PublicUse || inAcl);
    }

    public static bool CanModify(PlatformUser user, DatasetRecord dataset) =>
        user.Has(PlatformRoles.AdminDatasets) && (user.IsSuperadmin || user.Uid == dataset.AuthorId);

    public static bool CanDelete(PlatformUser user, DatasetRecord dataset) =>
        CanModify(user, dataset) && dataset.Draft && (dataset.Creating || user.IsSuperadmin);

    public static bool CanManageAcl(PlatformUser user, DatasetRecord dataset) => CanModify(user, dataset) || user.CanAdminDatasetAccess;

    /// <summary>The properties the user may change now (<c>editablePropertiesByTheUser</c>).</summary>
    public static IReadOnlyList<string> EditableProperties(PlatformUser user, DatasetRecord dataset)
    {
        if (!CanModify(user, dataset)) return [];
        var editable = new List<string>();
        if (dataset.Draft)
        {
            if (!dataset.Creating) editable.Add("draft");
            editable.AddRange(["name", "version", "previousId", "description", "provenance", "purpose", "type", "collectionMethod"]);
        }
        else if (user.IsSuperadmin && !dataset.Invalidated)
        {
            editable.AddRange(["public", "pids"]);
            if (dataset.Public) editable.Add("publicUse");
        }

        editable.Add("invalidated");
        if (dataset.Invalidated) editable.Add("invalidationReason");
        editable.AddRange(["tags", "contactInfo", "license"]);
        if (user.IsSuperadmin) editable.Add("authorId");
        return editable;
    }

    /// <summary>The other actions the user may take now (<c>allowedActionsForTheUser</c>).</summary>
    public static IReadOnlyList<string> AllowedActions(PlatformUser user, DatasetRecord dataset, bool inAcl)
    {
        var actions = new List<string>();
        if (CanUse(user, dataset, inAcl)) actions.Add("use");
        if (CanDelete(user, dataset)) actions.Add("delete");
        if (user.IsSuperadmin)
        {
            actions.Add("checkIntegrity");
            if (dataset.Creating) actions.Add("restartCreation");
            actions.Add("readjustFilePermissions");
            actions.Add("recollectMetadata");
        }

        if (user.CanAdminDatasetAccess) actions.Add("viewAccessHistory");
        if (CanManageAcl(user, dataset)) actions.Add("manageACL");
        return actions;
    }

    /// <summary>What a user may list (<see cref="DatasetVisibility"/>).</summary>
    public static DatasetVisibility Visibility(PlatformUser user)
    {
        if (!user.IsAuthenticated) return new DatasetVisibility(false, new HashSet<string>(), null, true);
        if (user.IsSuperadmin) return DatasetVisibility.All;
        if (!user.Has(PlatformRoles.AdminDatasets)) return new DatasetVisibility(false, user.Projects, null, true);
        return new DatasetVisibility(false, user.Projects, user.Uid, false);
    }
}
