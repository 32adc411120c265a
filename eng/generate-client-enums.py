#!/usr/bin/env python3
"""Generates the extensible enums of ImagingRepo.Client: string-valued structs that keep any value the server sends
(a newer service may add values; an unknown one must never make a response unreadable).

Usage: generate-client-enums.py [REPO_ROOT]

Each enum lists the values the dataset service API v1 defines (shared/reference/chaimeleon-dataset-service-api-v1.yaml);
tests/ImagingRepo.Client.Tests/Models/SpecDriftTests.cs fails when the spec and these lists differ.
The output is deterministic: regenerating unchanged tables changes nothing.
"""
import os
import sys

# (area, type name, summary, [(member, wire value, summary)])
ENUMS = [
    ("Datasets", "DatasetType", "What kind of data a dataset holds (<c>type</c>).", [
        ("Original", "original", "Images as acquired."),
        ("Annotated", "annotated", "Images with annotations (segmentations, labels)."),
        ("Processed", "processed", "Images derived by processing."),
        ("PersonalData", "personal-data", "Data that still counts as personal data."),
    ]),
    ("Datasets", "CollectionMethod", "How the cases of a dataset were collected (<c>collectionMethod</c>).", [
        ("PatientBased", "patient-based", "Patient-based collection."),
        ("Cohort", "cohort", "A cohort."),
        ("OnlyImage", "only-image", "Images only, no clinical follow-up."),
        ("Longitudinal", "longitudinal", "Longitudinal collection."),
        ("CaseControl", "case-control", "Case-control collection."),
        ("DiseaseSpecific", "disease-specific", "Disease-specific collection."),
    ]),
    ("Datasets", "DatasetSortKey", "The property a dataset list is sorted by (<c>sortBy</c>).", [
        ("Name", "name", "The dataset name."),
        ("AuthorName", "authorName", "The author's name."),
        ("CreationDate", "creationDate", "The creation date (the service's default)."),
        ("StudiesCount", "studiesCount", "The number of studies."),
        ("SubjectsCount", "subjectsCount", "The number of subjects."),
        ("TimesUsed", "timesUsed", "How often the dataset was used."),
    ]),
    ("Datasets", "SortDirection", "The direction of a sorted list (<c>sortDirection</c>).", [
        ("Ascending", "ascending", "Smallest first."),
        ("Descending", "descending", "Largest first."),
    ]),
    ("Datasets", "DatasetListAction", "What the caller may do on the dataset collection (<c>allowedActionsForTheUser</c> of a list).", [
        ("Create", "create", "Create datasets."),
    ]),
    ("Datasets", "DatasetAction", "What the caller may do with a dataset besides editing its properties (<c>allowedActionsForTheUser</c>).", [
        ("Use", "use", "Use it in a workload (a dataset access may be created)."),
        ("Delete", "delete", "Delete it."),
        ("CheckIntegrity", "checkIntegrity", "Start an integrity check."),
        ("RestartCreation", "restartCreation", "Restart its creation."),
        ("ReadjustFilePermissions", "readjustFilePermissions", "Readjust its file permissions in the lake."),
        ("RecollectMetadata", "recollectMetadata", "Collect its metadata again."),
        ("ViewAccessHistory", "viewAccessHistory", "Read its access history."),
        ("ManageAcl", "manageACL", "Manage its access control list."),
    ]),
    ("Datasets", "DatasetProperty", "A dataset property that a PATCH changes (<c>property</c>).", [
        ("Draft", "draft", "The draft flag (false releases the dataset)."),
        ("Public", "public", "The public flag (true publishes it)."),
        ("PublicUse", "publicUse", "Whether any registered user may use a public dataset."),
        ("Invalidated", "invalidated", "The invalidated flag."),
        ("InvalidationReason", "invalidationReason", "Why it was invalidated."),
        ("Name", "name", "The name."),
        ("Version", "version", "The version."),
        ("Description", "description", "The description."),
        ("Tags", "tags", "The tags."),
        ("Provenance", "provenance", "The provenance text."),
        ("Purpose", "purpose", "The purpose text."),
        ("Type", "type", "The dataset types."),
        ("CollectionMethod", "collectionMethod", "The collection methods."),
        ("PreviousId", "previousId", "The previous version's id."),
        ("License", "license", "The license."),
        ("Pids", "pids", "The persistent identifiers."),
        ("ContactInfo", "contactInfo", "The contact information."),
        ("AuthorId", "authorId", "The author."),
    ]),
    ("Datasets", "DatasetCreationState", "Where a dataset's creation stands (<c>status</c> of <c>creationStatus</c>).", [
        ("Pending", "pending", "Waiting to start."),
        ("Running", "running", "Running."),
        ("Finished", "finished", "Finished: the dataset is complete."),
        ("Error", "error", "Failed; the last message says why."),
    ]),
    ("Datasets", "ServiceSection", "A section of the service the caller may use (<c>GET /index</c>).", [
        ("Datasets", "datasets", "Datasets."),
        ("Projects", "projects", "Projects."),
        ("Licenses", "licenses", "Licenses."),
        ("Users", "users", "Users."),
        ("Sites", "sites", "Sites."),
        ("DatasetAccess", "datasetAccess", "Dataset accesses."),
    ]),
    ("Access", "DatasetAccessType", "How a dataset was accessed (<c>accessType</c>).", [
        ("Interactive", "i", "An interactive workload (a desktop, a notebook, a web service)."),
        ("Batch", "b", "A batch job."),
    ]),
    ("Projects", "ProjectListPurpose", "What a project list is for (<c>purpose</c>).", [
        ("ProjectList", "projectList", "Every project (the service's default)."),
        ("DatasetCreation", "datasetCreation", "The projects the caller may create datasets in."),
        ("DatasetSearchFilter", "datasetSearchFilter", "The projects visible datasets belong to."),
        ("UserManagement", "userManagement", "The projects the caller may assign users to."),
    ]),
    ("Projects", "ProjectListAction", "What the caller may do on the project collection.", [
        ("Create", "create", "Create projects."),
    ]),
    ("Projects", "ProjectAction", "What the caller may do with a project besides editing its properties.", [
        ("Config", "config", "Read and change its configuration."),
        ("ViewSubprojects", "viewSubprojects", "List its subprojects."),
        ("Delete", "delete", "Delete it."),
    ]),
    ("Projects", "ProjectProperty", "A project property that a PATCH changes (<c>property</c>).", [
        ("Name", "name", "The name."),
        ("ShortDescription", "shortDescription", "The short description."),
        ("ExternalUrl", "externalUrl", "The project's web page."),
        ("LogoUrl", "logoUrl", "The logo, copied from a URL."),
    ]),
    ("Projects", "SubprojectAction", "What the caller may do on a project's subprojects.", [
        ("Create", "create", "Create subprojects."),
        ("Edit", "edit", "Edit subprojects."),
    ]),
    ("Users", "UserDetailScope", "How much of a user <c>GET /users/{username}</c> returns (<c>scope</c>).", [
        ("Gid", "gid", "The GID only (the service's default)."),
        ("All", "all", "Every detail."),
    ]),
    ("Users", "ManagementJobStatus", "The state of a user management job.", [
        ("Running", "running", "Running."),
        ("Succeeded", "succeeded", "Succeeded."),
        ("Failed", "failed", "Failed."),
        ("Unknown", "unknown", "Unknown."),
    ]),
]

TEMPLATE = """// <auto-generated> by eng/generate-client-enums.py; edit the table there, not this file. </auto-generated>
#nullable enable
using System.ComponentModel;
using System.Text.Json.Serialization;
using ImagingRepo.Client.Http;

namespace ImagingRepo.Client.{area};

/// <summary>{summary} Values the client does not know are kept as they are.</summary>
[JsonConverter(typeof(ExtensibleEnumJsonConverter<{name}>))]
public readonly struct {name} : IExtensibleEnum<{name}>, IEquatable<{name}>
{{
    /// <summary>Creates a value; any string the service sends is accepted.</summary>
    /// <param name="value">The wire value.</param>
    public {name}(string value)
    {{
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }}
{members}
    /// <summary>The wire value.</summary>
    public string Value => field ?? "";

    /// <summary>The values the dataset service API v1 defines.</summary>
    public static IReadOnlyList<{name}> KnownValues {{ get; }} = [{known}];

    /// <summary>True when the value is one of <see cref="KnownValues"/>.</summary>
    public bool IsKnown => KnownValues.Contains(this);

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value.</param>
    public static {name} FromValue(string value) => new(value);

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator {name}(string value) => new(value);

    /// <summary>Compares the wire values (ordinal).</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another.</param>
    public static bool operator ==({name} left, {name} right) => left.Equals(right);

    /// <summary>Compares the wire values (ordinal).</summary>
    /// <param name="left">A value.</param>
    /// <param name="right">Another.</param>
    public static bool operator !=({name} left, {name} right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals({name} other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is {name} other && Equals(other);

    /// <inheritdoc />
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The wire value.</summary>
    public override string ToString() => Value;
}}
"""


def render(area, name, summary, members):
    lines = []
    for member, wire, doc in members:
        lines.append("")
        lines.append(f"    /// <summary>{doc} (<c>{wire}</c>)</summary>")
        lines.append(f"    public static {name} {member} {{ get; }} = new(\"{wire}\");")
    lines.append("")
    known = ", ".join(m for m, _, _ in members)
    return TEMPLATE.format(area=area, name=name, summary=summary, members="\n".join(lines), known=known)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    for area, name, summary, members in ENUMS:
        path = os.path.join(root, "src", "ImagingRepo.Client", area, f"{name}.Generated.cs")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            out.write(render(area, name, summary, members))


if __name__ == "__main__":
    main()
