using System.Text.Json.Serialization;

namespace ImagingRepo.Dicom.Deidentification.Policy;

/// <summary>
/// What becomes of a Code Meaning (0008,0104) whose Coding Scheme Designator (0008,0102) names no standard scheme (a
/// <c>99</c>… private scheme, <c>L</c> for local, or any other not listed): a site chose that text freely, so it can carry
/// identifying words where the codes of standard schemes cannot. By default it is replaced by the item's code value.
/// </summary>
public sealed record CodeMeaningPolicy
{
    /// <summary>Private code meanings are replaced by their code values; <see cref="DefaultStandardSchemes"/> are standard.</summary>
    public CodeMeaningPolicy()
    {
    }

    // the JSON binds here so that absent members keep their defaults (see DeidentificationPolicy's constructor)
    [JsonConstructor]
    internal CodeMeaningPolicy(bool keepPrivate = false, IReadOnlyList<string>? standardSchemes = null, string? replacement = null)
    {
        KeepPrivate = keepPrivate;
        StandardSchemes = standardSchemes ?? StandardSchemes;
        Replacement = replacement;
    }

    /// <summary>
    /// Coding scheme designators of PS3.16 Table 8-1 whose code meanings are the scheme's own: DICOM, SNOMED (CT, RT, 3 and
    /// the DICOM microglossary 99SDM), LOINC, UCUM, FMA, RadLex, RadElement, NCI Thesaurus, UMLS, ICD-9-CM, ICD-10,
    /// ICD-10-PCS, ICD-11, CPT, MeSH, NeuroNames, ACR Index, BI-RADS, ISO/IEEE 11073 (MDC), UBERON, IBSI and the language
    /// and country codes.
    /// </summary>
    public static IReadOnlyList<string> DefaultStandardSchemes { get; } =
    [
        "DCM", "DCMUID", "SCT", "SRT", "SNM3", "99SDM", "LN", "UCUM", "FMA", "RADLEX", "RADELEMENT", "NCIt", "UMLS", "I9C",
        "I10", "I10P", "I11", "C4", "C5", "MSH", "NEU", "ACR", "BI", "MDC", "UBERON", "IBSI", "ISO3166_1", "ISO639_1",
        "ISO639_2", "RFC5646",
    ];

    /// <summary>When true, code meanings of every scheme are kept (the profile's default for codes, with the residual risk).</summary>
    public bool KeepPrivate { get; init; }

    /// <summary>The designators whose code meanings are kept, compared exactly (designators are case-sensitive: <c>NCIt</c>).</summary>
    public IReadOnlyList<string> StandardSchemes { get; init; } = DefaultStandardSchemes;

    /// <summary>The text written in place of a private code meaning; the item's code value when null.</summary>
    public string? Replacement { get; init; }

    /// <summary>Checks the designators and the replacement.</summary>
    internal void Validate(string source)
    {
        if (StandardSchemes is null)
        {
            throw new DeidentificationPolicyException($"{source}: codeMeanings.standardSchemes is null.");
        }

        for (var i = 0; i < StandardSchemes.Count; i++)
        {
            var scheme = StandardSchemes[i];
            if (string.IsNullOrWhiteSpace(scheme) || scheme.Length > 16 || scheme.Contains('\\', StringComparison.Ordinal))
            {
                throw new DeidentificationPolicyException(
                    $"{source}: codeMeanings.standardSchemes[{i}] '{scheme}' is not a coding scheme designator (SH: 1-16 characters, no backslash).");
            }
        }

        if (Replacement is not null
            && (Replacement.Length is 0 or > 64 || Replacement.Contains('\\', StringComparison.Ordinal) || Replacement.Any(char.IsControl)))
        {
            throw new DeidentificationPolicyException(
                $"{source}: codeMeanings.replacement must be a Code Meaning (LO: 1-64 characters, no backslash or control character).");
        }
    }
}
