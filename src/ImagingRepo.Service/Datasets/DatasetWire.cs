using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Datasets;

// The JSON shapes of the v1 API's dataset operations, property for property (names come from the camelCase policy
// unless a [JsonPropertyName] says otherwise). Requests reject unknown properties.

/// <summary><c>POST /datasets</c> body: <c>DatasetCreationObject</c> with its studies and subjects.</summary>
internal sealed record DatasetCreationBody
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public string? Project { get; init; }
    public string? Subproject { get; init; }
    public string? PreviousId { get; init; }
    public string? Description { get; init; }
    public string? Provenance { get; init; }
    public string? Purpose { get; init; }
    public IReadOnlyList<string>? Type { get; init; }
    public IReadOnlyList<string>? CollectionMethod { get; init; }
    public IReadOnlyList<StudyCreationBody>? Studies { get; init; }
    public IReadOnlyList<SubjectBody>? Subjects { get; init; }
}

/// <summary>A study of <see cref="DatasetCreationBody"/> (<c>StudyCreationObject</c>).</summary>
internal sealed record StudyCreationBody
{
    public string? StudyId { get; init; }
    public string? StudyName { get; init; }
    public string? SubjectName { get; init; }
    public string? PathInDatalake { get; init; }
    public IReadOnlyList<SeriesBody>? Series { get; init; }
    public string? Url { get; init; }
}

/// <summary>A series of a study (<c>Series</c>).</summary>
internal sealed record SeriesBody
{
    public string? FolderName { get; init; }
    public IReadOnlyList<string>? Tags { get; init; }
}

/// <summary>A subject with its clinical data (<c>Subject</c>).</summary>
internal sealed record SubjectBody
{
    public string? SubjectName { get; init; }
    public string? SubjectId { get; init; }

    [JsonPropertyName("eForm")]
    public JsonElement? EForm { get; init; }
}

/// <summary><c>201</c> answer of <c>POST /datasets</c>.</summary>
internal sealed record DatasetCreatedResponse(string Url, string ApiUrl);

/// <summary><c>PATCH /datasets/{id}</c> body: one property and its new value.</summary>
internal sealed record PropertyPatchBody
{
    public string? Property { get; init; }
    public JsonElement Value { get; init; }
}

/// <summary>A licence (<c>License</c>).</summary>
internal sealed record LicenseWire(string Title, string Url);

/// <summary>Persistent identifiers of a dataset (<c>pids</c>).</summary>
internal sealed record PidsWire(string? Preferred, PidUrlsWire Urls);

/// <summary>The links of <see cref="PidsWire"/>.</summary>
internal sealed record PidUrlsWire(string? ZenodoDoi, string? Custom);

/// <summary><c>DatasetListItem</c>.</summary>
internal sealed record DatasetListItemWire
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string AuthorName { get; init; }
    public required DateTime CreationDate { get; init; }
    public required string Project { get; init; }
    public required bool Draft { get; init; }
    public required bool Public { get; init; }
    public required bool PublicUse { get; init; }
    public required bool Invalidated { get; init; }
    public required bool Corrupted { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required int StudiesCount { get; init; }
    public required int SubjectsCount { get; init; }
    public required int TimesUsed { get; init; }
}

/// <summary>The answer of <c>GET /datasets</c>.</summary>
internal sealed record DatasetListWire(int Total, int Returned, int Skipped, int Limit, IReadOnlyList<DatasetListItemWire> List, IReadOnlyList<string> AllowedActionsForTheUser);

/// <summary><c>DatasetDetails</c>.</summary>
internal sealed record DatasetDetailsWire
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public required string Project { get; init; }
    public required string Subproject { get; init; }
    public required string? PreviousId { get; init; }
    public required string? NextId { get; init; }
    public required string AuthorId { get; init; }
    public required string AuthorName { get; init; }

    /// <summary>Left out for anonymous callers.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required string? AuthorEmail { get; init; }
    public required DateTime CreationDate { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public required string Provenance { get; init; }
    public required string Purpose { get; init; }
    public required IReadOnlyList<string> Type { get; init; }
    public required IReadOnlyList<string> CollectionMethod { get; init; }
    public required LicenseWire License { get; init; }
    public required PidsWire Pids { get; init; }
    public required string ContactInfo { get; init; }
    public required bool Draft { get; init; }

    /// <summary>Present only while <see cref="Draft"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required bool? Creating { get; init; }
    public required bool Public { get; init; }
    public required bool PublicUse { get; init; }
    public required bool Invalidated { get; init; }

    /// <summary>Present only while <see cref="Invalidated"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public required string? InvalidationReason { get; init; }
    public required bool External { get; init; }
    public required bool Corrupted { get; init; }
    public required DateTime? LastIntegrityCheck { get; init; }
    public required IReadOnlyList<string> EditablePropertiesByTheUser { get; init; }
    public required IReadOnlyList<string> AllowedActionsForTheUser { get; init; }
    public required int StudiesCount { get; init; }
    public required int SubjectsCount { get; init; }
    public required int? AgeLow { get; init; }
    public required int? AgeHigh { get; init; }
    public required IReadOnlyList<string> AgeUnit { get; init; }
    public required int? AgeNullCount { get; init; }
    public required IReadOnlyList<string> Sex { get; init; }
    public required IReadOnlyList<int> SexCount { get; init; }
    public required IReadOnlyList<string> Diagnosis { get; init; }
    public required IReadOnlyList<int> DiagnosisCount { get; init; }
    public required IReadOnlyList<string> BodyPart { get; init; }
    public required IReadOnlyList<int> BodyPartCount { get; init; }
    public required IReadOnlyList<string> Modality { get; init; }
    public required IReadOnlyList<int> ModalityCount { get; init; }
    public required IReadOnlyList<string> Manufacturer { get; init; }
    public required IReadOnlyList<int> ManufacturerCount { get; init; }
    public required int? DiagnosisYearLow { get; init; }
    public required int? DiagnosisYearHigh { get; init; }
    public required int? DiagnosisYearNullCount { get; init; }
    public required IReadOnlyList<string> SeriesTags { get; init; }
    public required long? SizeInBytes { get; init; }
    public required int TimesUsed { get; init; }
}

/// <summary>A study as <c>GET /datasets/{id}/studies</c> shows it (<c>Study</c>; no data lake path, no hash).</summary>
internal sealed record StudyWire(string StudyId, string StudyName, string SubjectName, IReadOnlyList<SeriesEntry> Series, string Url, long? SizeInBytes);

/// <summary>A page of a list: <c>{total, returned, skipped, limit, list}</c>.</summary>
internal sealed record PageWire<T>(int Total, int Returned, int Skipped, int Limit, IReadOnlyList<T> List);

/// <summary><c>GET /datasets/{id}/creationStatus</c>.</summary>
internal sealed record CreationStatusWire(string DatasetId, string Status, string LastMessage);

/// <summary>The answer of the maintenance operations (<c>checkIntegrity</c>, <c>recollectMetadata</c>).</summary>
internal sealed record OperationResultWire(bool Success, string Msg);

/// <summary>One dataset's result of an operation over all datasets.</summary>
internal sealed record DatasetOperationResultWire(string Id, OperationResultWire Result);

/// <summary>An item of <c>GET /upgradableDatasets</c>.</summary>
internal sealed record UpgradableDatasetWire(string Id, string Name, string Version);
