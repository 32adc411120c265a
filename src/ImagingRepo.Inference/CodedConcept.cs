using System.Text.Json.Serialization;

namespace ImagingRepo.Inference;

/// <summary>A coded concept as DICOM writes it in a code sequence item: value, coding scheme designator and meaning.</summary>
/// <param name="Code">The code value (e.g. <c>10200004</c>).</param>
/// <param name="Scheme">The coding scheme designator (e.g. <c>SCT</c>, <c>DCM</c>, <c>LN</c>).</param>
/// <param name="Meaning">The code meaning (e.g. <c>Liver</c>).</param>
public sealed record CodedConcept(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("scheme")] string Scheme,
    [property: JsonPropertyName("meaning")] string Meaning)
{
    /// <inheritdoc />
    public override string ToString() => $"({Code}, {Scheme}, \"{Meaning}\")";
}
