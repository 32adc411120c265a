using System.Text.Json.Serialization;

namespace ImagingRepo.Inference.Runtime;

/// <summary>
/// One label a model produces: a segment value of a label map (1, 2, …) or a class index of a classifier (0, 1, …),
/// with the codes that DICOM SEG and SR write for it.
/// </summary>
public sealed record ModelLabel
{
    /// <summary>The label value (segment value) or class index.</summary>
    [JsonPropertyName("value")]
    public int Value { get; init; }

    /// <summary>A short name (Segment Label, or the class name).</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    /// <summary>Segmented Property Category (CID 7150), e.g. <c>(123037004, SCT, "Anatomical Structure")</c>; null for the default.</summary>
    [JsonPropertyName("category")]
    public CodedConcept? Category { get; init; }

    /// <summary>Segmented Property Type (CID 7151 and its relatives), e.g. <c>(10200004, SCT, "Liver")</c>; for a classifier, the finding.</summary>
    [JsonPropertyName("type")]
    public CodedConcept? Type { get; init; }

    /// <summary>Recommended display colour as sRGB 0–255, or null.</summary>
    [JsonPropertyName("color")]
    public IReadOnlyList<int>? Color { get; init; }
}
