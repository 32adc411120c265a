using System.Text.Json;
using ImagingRepo.Service.Creation.Metadata;

namespace ImagingRepo.Service.Tests.Creation;

public sealed class MetadataReadingTests
{
    [Theory]
    [InlineData("073Y", 73, AgeUnit.Years, 73 * 365)]
    [InlineData("015M", 15, AgeUnit.Months, 457)]
    [InlineData("003W", 3, AgeUnit.Weeks, 21)]
    [InlineData("010D", 10, AgeUnit.Days, 10)]
    [InlineData(" 45Y ", 45, AgeUnit.Years, 45 * 365)]
    public void DICOM_ages_are_read_with_their_unit_and_compared_in_days(string text, int value, AgeUnit unit, int days)
    {
        Assert.True(PatientAge.TryParseDicom(text, out var age));
        Assert.Equal(new PatientAge(value, unit), age);
        Assert.Equal(days, age.InDays);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Y")]
    [InlineData("07XY")]
    [InlineData("-12Y")]
    [InlineData("073Q")]
    public void A_malformed_age_is_unknown_and_never_an_error(string? text) => Assert.False(PatientAge.TryParseDicom(text, out _));

    [Theory]
    [InlineData("SIEMENS", "Siemens")]
    [InlineData("Siemens Healthineers", "Siemens")]
    [InlineData("GE MEDICAL SYSTEMS", "General Electric")]
    [InlineData("GE Healthcare", "General Electric")]
    [InlineData("General Electric Company", "General Electric")]
    [InlineData("Philips Medical Systems", "Philips")]
    [InlineData("TOSHIBA_MEC", "Toshiba")]
    [InlineData("Canon Medical Systems", "Canon")]
    [InlineData("FUJIFILM Corporation", "Fujifilm")]
    [InlineData("Hologic, Inc.", "Hologic")]
    [InlineData("IMS", "I.M.S")]
    [InlineData("I.M.S. Giotto", "I.M.S")]
    [InlineData("Premier Imaging", "Other")]   // holds "mie", which is no MiE
    [InlineData("Imagetech", "Other")]         // holds "ge" inside a word, which is no GE
    [InlineData("Acme Scanners", "Other")]
    public void Manufacturers_are_harmonized_by_whole_words(string value, string expected) => Assert.Equal(expected, ManufacturerNames.Harmonize(value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_manufacturer_is_unknown(string? value) => Assert.Null(ManufacturerNames.Harmonize(value));

    [Fact]
    public void An_eform_gives_the_year_of_diagnosis_the_age_and_the_sex()
    {
        var facts = EformFacts.Read(Json("""
            {"pages": [
              {"page_name": "inclusion_criteria", "page_data": {"date_baseline_ct": {"value": "2020-11-03T00:00:00"}, "age_at_baseline": {"value": 71.6}}},
              {"page_name": "patient_data", "page_data": {"gender": {"value": "FEMALE"}}}]}
            """));

        Assert.Equal(new EformFacts(2020, new PatientAge(71, AgeUnit.Years), "F"), facts);
    }

    [Theory]
    [InlineData("""{"pages": [{"page_name": "patient_data", "page_data": {"gender": {"value": "OTHER"}}}]}""", null, "O")]
    [InlineData("""{"pages": [{"page_name": "inclusion_criteria", "page_data": {"baseline_date": {"value": "not a date"}, "age_at_diagnosis": {"value": "64"}}}]}""", 64, null)]
    [InlineData("""{"pages": [{"page_name": "inclusion_criteria", "page_data": {"age_at_diagnosis": {"value": null}}}]}""", null, null)]
    [InlineData("""{"pages": "not a list"}""", null, null)]
    [InlineData("""["not an object"]""", null, null)]
    [InlineData("""{}""", null, null)]
    public void What_an_eform_lacks_or_garbles_is_simply_unknown(string json, int? years, string? sex)
    {
        var facts = EformFacts.Read(Json(json));

        Assert.Null(facts.DiagnosisYear);
        Assert.Equal(years, facts.Age?.Value);
        Assert.Equal(sex, facts.Sex);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
