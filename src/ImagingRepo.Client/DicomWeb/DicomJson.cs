using System.Globalization;
using System.Text.Json;

namespace ImagingRepo.Client.DicomWeb;

/// <summary>
/// Reads attributes of the DICOM JSON model (PS3.18 F.2): each dataset an object keyed by the tag as eight hex digits,
/// each attribute <c>{"vr": …, "Value": […]}</c>, person names as <c>{"Alphabetic": …}</c>, numbers as JSON numbers
/// (some servers send IS and DS values as strings; both are read).
/// </summary>
internal static class DicomJson
{
    public const string StudyInstanceUid = "0020000D";
    public const string SeriesInstanceUid = "0020000E";
    public const string SopInstanceUid = "00081155";
    public const string PatientId = "00100020";
    public const string PatientName = "00100010";
    public const string StudyDate = "00080020";
    public const string AccessionNumber = "00080050";
    public const string StudyDescription = "00081030";
    public const string ModalitiesInStudy = "00080061";
    public const string Modality = "00080060";
    public const string SeriesNumber = "00200011";
    public const string SeriesDescription = "0008103E";
    public const string StudySeriesCount = "00201206";
    public const string StudyInstanceCount = "00201208";
    public const string SeriesInstanceCount = "00201209";
    public const string ReferencedSopSequence = "00081199";
    public const string FailedSopSequence = "00081198";
    public const string FailureReason = "00081197";

    /// <summary>The values of an attribute, or none when it is absent or empty.</summary>
    public static IEnumerable<JsonElement> Values(JsonElement dataset, string tag) =>
        dataset.ValueKind == JsonValueKind.Object && dataset.TryGetProperty(tag, out var attribute) && attribute.ValueKind == JsonValueKind.Object
            && attribute.TryGetProperty("Value", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.EnumerateArray()
            : [];

    /// <summary>The first value as text (a person name's alphabetic group), or null.</summary>
    public static string? String(JsonElement dataset, string tag) => Values(dataset, tag).Select(AsText).FirstOrDefault(v => v is not null);

    /// <summary>Every value as text.</summary>
    public static IReadOnlyList<string> Strings(JsonElement dataset, string tag) => [.. Values(dataset, tag).Select(AsText).OfType<string>()];

    /// <summary>The first value as an integer, or null when absent or not an integer.</summary>
    public static int? Int(JsonElement dataset, string tag)
    {
        foreach (var value in Values(dataset, tag))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)) return number;
            if (value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number)) return number;
            return null;
        }

        return null;
    }

    /// <summary>The first value as a DA date (<c>YYYYMMDD</c>), or null when absent or malformed.</summary>
    public static DateOnly? Date(JsonElement dataset, string tag) =>
        String(dataset, tag) is { } text && DateOnly.TryParseExact(text.Trim(), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;

    /// <summary>The items of a sequence attribute.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement dataset, string tag) => Values(dataset, tag).Where(v => v.ValueKind == JsonValueKind.Object);

    /// <summary>A DA range matching key (PS3.4 C.2.2.2.5): <c>from-to</c>, either end open.</summary>
    public static string? DateRange(DateOnly? from, DateOnly? to) =>
        from is null && to is null
            ? null
            : $"{from?.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{to?.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    private static string? AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object when value.TryGetProperty("Alphabetic", out var name) && name.ValueKind == JsonValueKind.String => name.GetString(),
        _ => null,
    };
}
