using System.Text.Json.Serialization;

namespace ImagingRepo.Service.Creation;

/// <summary>How requests and results are kept with their operation (source-generated, no reflection).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, UseStringEnumConverter = true)]
[JsonSerializable(typeof(DatasetCreationRequest))]
[JsonSerializable(typeof(DatasetCreationResult))]
internal sealed partial class CreationJsonContext : JsonSerializerContext;
