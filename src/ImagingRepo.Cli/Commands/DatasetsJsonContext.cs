using System.Text.Json;
using System.Text.Json.Serialization;
using ImagingRepo.Client.Access;
using ImagingRepo.Client.Datasets;

namespace ImagingRepo.Cli.Commands;

/// <summary>
/// The JSON the dataset commands print with <c>--json</c> and read for <c>datasets create</c>: the service's own wire
/// forms (camelCase, nulls left out), so that a script reads what the API would have answered.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(DatasetListItem))]
[JsonSerializable(typeof(DatasetDetails))]
[JsonSerializable(typeof(Study))]
[JsonSerializable(typeof(DatasetAccess))]
[JsonSerializable(typeof(DatasetCreationRequest))]
[JsonSerializable(typeof(DatasetCreationStatus))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(UploadReportJson))]
internal sealed partial class DatasetsJsonContext : JsonSerializerContext;

/// <summary><c>imagingrepo upload --json</c>: every study's and every left-out file's outcome, the journal, and the dataset (null when none was created).</summary>
internal sealed record UploadReportJson(
    IReadOnlyList<UploadItemJson> Items,
    IReadOnlyList<UploadFileJson> Files,
    string Journal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DatasetDetails? Dataset);

/// <summary>One study of <see cref="UploadReportJson"/>; the outcome in camelCase (<c>uploaded</c>, <c>skipped</c>, …).</summary>
internal sealed record UploadItemJson(string StudyInstanceUid, string Outcome, int Instances, int Quarantined, IReadOnlyList<string> LakeStudies, string? Reason);

/// <summary>A file of the source that belongs to no study (not DICOM, or unreadable) and why.</summary>
internal sealed record UploadFileJson(string Path, string Outcome, string Reason);
