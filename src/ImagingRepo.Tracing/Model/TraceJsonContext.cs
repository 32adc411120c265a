using System.Text.Json.Serialization;

namespace ImagingRepo.Tracing.Model;

/// <summary>Source-generated System.Text.Json metadata for traces (compact, no reflection).</summary>
[JsonSourceGenerationOptions(
    AllowOutOfOrderMetadataProperties = true,
    RespectRequiredConstructorParameters = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Trace))]
internal sealed partial class TraceJsonContext : JsonSerializerContext;
