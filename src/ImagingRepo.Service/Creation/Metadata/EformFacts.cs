using System.Globalization;
using System.Text.Json;

namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>
/// What a subject's eForm says that overrides the DICOM headers: year of diagnosis, age and sex. The eForm is the case
/// explorer's JSON (<c>pages[]</c> of <c>{page_name, page_data: {field: {value}}}</c>); the fields are the ones the
/// CHAIMELEON service reads: <c>inclusion_criteria</c>.<c>baseline_date</c> or <c>date_baseline_ct</c> (year of
/// diagnosis), <c>age_at_diagnosis</c> or <c>age_at_baseline</c> (years), and <c>patient_data</c>.<c>gender</c>. A field
/// that is missing or malformed is simply not known; an eForm never fails a creation.
/// </summary>
/// <param name="DiagnosisYear">Year of diagnosis.</param>
/// <param name="Age">Age at diagnosis, in years.</param>
/// <param name="Sex">Sex as DICOM codes it (M, F, O).</param>
internal sealed record EformFacts(int? DiagnosisYear, PatientAge? Age, string? Sex)
{
    public static EformFacts None { get; } = new(null, null, null);

    public static EformFacts Read(JsonElement eForm)
    {
        if (eForm.ValueKind != JsonValueKind.Object || !eForm.TryGetProperty("pages", out var pages) || pages.ValueKind != JsonValueKind.Array)
        {
            return None;
        }

        int? year = null;
        PatientAge? age = null;
        string? sex = null;
        foreach (var page in pages.EnumerateArray())
        {
            if (page.ValueKind != JsonValueKind.Object
                || !page.TryGetProperty("page_name", out var name) || name.ValueKind != JsonValueKind.String
                || !page.TryGetProperty("page_data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            switch (name.GetString())
            {
                case "inclusion_criteria":
                    year ??= ReadYear(Field(data, "baseline_date") ?? Field(data, "date_baseline_ct"));
                    age ??= ReadYears(Field(data, "age_at_diagnosis") ?? Field(data, "age_at_baseline"));
                    break;
                case "patient_data":
                    sex ??= ReadSex(Field(data, "gender"));
                    break;
            }
        }

        return new EformFacts(year, age, sex);
    }

    private static JsonElement? Field(JsonElement data, string name) =>
        data.TryGetProperty(name, out var field) && field.ValueKind == JsonValueKind.Object && field.TryGetProperty("value", out var value)
        && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : null;

    private static int? ReadYear(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } text) return null;
        var s = text.GetString()!;
        return DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date.Year
            : DateOnly.TryParse(s, CultureInfo.InvariantCulture, out var day) ? day.Year
            : null;
    }

    private static PatientAge? ReadYears(JsonElement? value)
    {
        double years;
        if (value is { ValueKind: JsonValueKind.Number } number) years = number.GetDouble();
        else if (value is { ValueKind: JsonValueKind.String } text && double.TryParse(text.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) years = parsed;
        else return null;
        return years is >= 0 and < 500 ? new PatientAge((int)Math.Floor(years), AgeUnit.Years) : null;
    }

    private static string? ReadSex(JsonElement? value) => value is { ValueKind: JsonValueKind.String } text
        ? text.GetString() switch
        {
            "MALE" => "M",
            "FEMALE" => "F",
            null or "" => null,
            _ => "O",
        }
        : null;
}
