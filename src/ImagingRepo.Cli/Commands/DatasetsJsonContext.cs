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
internal sealed partial class DatasetsJsonContext : JsonSerializerContext;
