using System.Diagnostics.CodeAnalysis;

namespace ImagingRepo.Service.Eucaim;

/// <summary>The study attribute a key compares.</summary>
internal enum EucaimAttribute
{
    Sex,
    AgeAtDiagnosis,
    Diagnosis,
    DiagnosisYear,
    Modality,
    BodyPart,
    Manufacturer,
}

/// <summary>
/// A search key EUCAIM sends and what it means here: its attribute, whether it is a property of series (modality, body
/// part, manufacturer) or of the study, and for coded keys the codes with the value the studies hold (null: unknown).
/// </summary>
internal sealed class EucaimKey(string name, string description, EucaimAttribute attribute, bool isSeriesLevel, IReadOnlyDictionary<string, string?>? codes)
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    public EucaimAttribute Attribute { get; } = attribute;
    public bool IsSeriesLevel { get; } = isSeriesLevel;
    public bool IsNumeric => codes is null;
    public IEnumerable<string> Codes => codes?.Keys ?? [];

    public bool TryTranslate(string code, out string? value)
    {
        value = null;
        return codes is not null && codes.TryGetValue(code, out value);
    }
}

/// <summary>The keys the CHAIMELEON service understands, with their codes (DESIGN.md, "EUCAIM federated search").</summary>
internal static class EucaimKeys
{
    private const string Unknown = "SNOMEDCT261665006";

    private static readonly Dictionary<string, EucaimKey> Keys = new[]
    {
        new EucaimKey("SNOMEDCT263495000", "sex", EucaimAttribute.Sex, false, Codes(
            ("SNOMEDCT248153007", "M"), ("SNOMEDCT248152002", "F"), ("SNOMEDCT74964007", "O"))),
        new EucaimKey("SNOMEDCT423493009", "age at diagnosis, years", EucaimAttribute.AgeAtDiagnosis, false, null),
        new EucaimKey("SNOMEDCT439401001", "diagnosis", EucaimAttribute.Diagnosis, false, Codes(
            ("SNOMEDCT399068003", "Prostate cancer"), ("SNOMEDCT254837009", "Breast cancer"), ("SNOMEDCT363358000", "Lung cancer"),
            ("SNOMEDCT363406005", "Colon cancer"), ("SNOMEDCT363351006", "Rectum cancer"))),
        new EucaimKey("SNOMEDCT432213005", "year of diagnosis", EucaimAttribute.DiagnosisYear, false, null),
        new EucaimKey("RID10311", "modality", EucaimAttribute.Modality, true, Codes(
            ("RID10312", "MR"), ("RID10337", "PT"), ("RID10321", "CT"), ("RID10334", "NM"))),
        // Pelvis has two SNOMED CT concepts in use; CHAIMELEON knows only the first.
        new EucaimKey("SNOMEDCT123037004", "body part", EucaimAttribute.BodyPart, true, Codes(
            ("SNOMEDCT41216001", "PROSTATE"), ("SNOMEDCT76752008", "BREAST"), ("SNOMEDCT39607008", "LUNG"), ("SNOMEDCT71854001", "COLON"),
            ("SNOMEDCT818981001", "ABDOMEN"), ("SNOMEDCT816092008", "PELVIS"), ("SNOMEDCT12921003", "PELVIS"), ("SNOMEDCT69536005", "HEAD"))),
        new EucaimKey("C25392", "manufacturer", EucaimAttribute.Manufacturer, true, Codes(
            ("C200140", "Siemens"), ("birnlex_3066", "Siemens"), ("birnlex_12833", "General Electric"), ("birnlex_3065", "Philips"),
            ("birnlex_3067", "Toshiba"))),
    }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => Keys.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out EucaimKey? key) => Keys.TryGetValue(name, out key);

    /// <summary>A key's codes, with the code of "unknown" meaning a study without the value.</summary>
    private static Dictionary<string, string?> Codes(params (string Code, string Value)[] codes)
    {
        var result = codes.ToDictionary(c => c.Code, c => (string?)c.Value, StringComparer.Ordinal);
        result[Unknown] = null;
        return result;
    }
}
