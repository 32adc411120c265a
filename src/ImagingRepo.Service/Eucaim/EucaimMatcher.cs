namespace ImagingRepo.Service.Eucaim;

/// <summary>What the search compares of one study of a published dataset.</summary>
/// <param name="SubjectName">The subject (for the distinct subject count).</param>
/// <param name="Sex">DICOM's M, F or O; null when unknown.</param>
/// <param name="AgeInDays">Age at diagnosis in days as CHAIMELEON counts them (a year 365 days); null when unknown.</param>
/// <param name="Diagnosis">The diagnosis (e.g. "Colon cancer"); null when unknown.</param>
/// <param name="DiagnosisYear">Year of diagnosis; null when unknown.</param>
/// <param name="Modalities">The distinct modalities of its series.</param>
/// <param name="BodyParts">The distinct body parts of its series.</param>
/// <param name="Manufacturers">The distinct harmonized manufacturers of its series.</param>
internal sealed record EucaimStudy(
    string SubjectName, string? Sex, int? AgeInDays, string? Diagnosis, int? DiagnosisYear,
    IReadOnlyList<string> Modalities, IReadOnlyList<string> BodyParts, IReadOnlyList<string> Manufacturers);

/// <summary>
/// Decides whether a study matches a tree. Study attributes compare as SQL would (a comparison with an unknown value is
/// false; EQUALS "unknown" asks for the unknown). Series attributes match when some series of the study has the value;
/// a study is known only by the distinct values of its series, so an AND of two series conditions may be met by two
/// different series of the study (CHAIMELEON asks one series to meet both).
/// </summary>
internal static class EucaimMatcher
{
    public static bool Matches(EucaimNode node, EucaimStudy study) => node switch
    {
        EucaimOperation { Children.Count: 0 } => true,
        EucaimOperation { IsAnd: true } and => and.Children.All(c => Matches(c, study)),
        EucaimOperation or => or.Children.Any(c => Matches(c, study)),
        EucaimCondition condition => Matches(condition, study),
        _ => false,
    };

    private static bool Matches(EucaimCondition condition, EucaimStudy study) => condition.Key.Attribute switch
    {
        EucaimAttribute.Sex => Single(condition, study.Sex),
        EucaimAttribute.Diagnosis => Single(condition, study.Diagnosis),
        EucaimAttribute.AgeAtDiagnosis => Number(condition, study.AgeInDays, 365),
        EucaimAttribute.DiagnosisYear => Number(condition, study.DiagnosisYear, 1),
        EucaimAttribute.Modality => Series(condition, study.Modalities),
        EucaimAttribute.BodyPart => Series(condition, study.BodyParts),
        EucaimAttribute.Manufacturer => Series(condition, study.Manufacturers),
        _ => false,
    };

    private static bool Single(EucaimCondition condition, string? value) => (condition.Type, condition.Value) switch
    {
        (EucaimConditionType.Equals, EucaimText { Value: null }) => value is null,
        (EucaimConditionType.Equals, EucaimText t) => value is not null && Same(value, t.Value),
        (EucaimConditionType.NotEquals, EucaimText { Value: null }) => value is not null,
        (EucaimConditionType.NotEquals, EucaimText t) => value is not null && !Same(value, t.Value),
        (EucaimConditionType.In, EucaimTextList list) => list.Values.Any(v => v is null ? value is null : value is not null && Same(value, v)),
        (EucaimConditionType.Contains, EucaimText { Value: null }) => value is null,
        (EucaimConditionType.Contains, EucaimText t) => value is not null && value.Contains(t.Value!, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    private static bool Series(EucaimCondition condition, IReadOnlyList<string> values) => (condition.Type, condition.Value) switch
    {
        (EucaimConditionType.Equals, EucaimText { Value: null }) => values.Count == 0,
        (EucaimConditionType.Equals, EucaimText t) => values.Any(v => Same(v, t.Value)),
        (EucaimConditionType.NotEquals, EucaimText { Value: null }) => values.Count > 0,
        (EucaimConditionType.NotEquals, EucaimText t) => values.Any(v => !Same(v, t.Value)),
        (EucaimConditionType.In, EucaimTextList list) => list.Values.Any(x => x is null ? values.Count == 0 : values.Any(v => Same(v, x))),
        (EucaimConditionType.Contains, EucaimText { Value: null }) => values.Count == 0,
        (EucaimConditionType.Contains, EucaimText t) => values.Any(v => v.Contains(t.Value!, StringComparison.OrdinalIgnoreCase)),
        _ => false,
    };

    /// <summary>A number condition on a stored value in units of <paramref name="scale"/> per request unit (days per year for ages).</summary>
    private static bool Number(EucaimCondition condition, int? stored, double scale)
    {
        if (stored is not { } s) return false;
        return (condition.Type, condition.Value) switch
        {
            (EucaimConditionType.Equals, EucaimNumber n) => s == n.Value * scale,
            (EucaimConditionType.NotEquals, EucaimNumber n) => s != n.Value * scale,
            (EucaimConditionType.Between, EucaimRange r) => s >= r.Min * scale && s <= r.Max * scale,
            (EucaimConditionType.LowerThan, EucaimNumber n) => s < n.Value * scale,
            (EucaimConditionType.LowerThan, EucaimRange r) => s <= r.Max * scale,
            (EucaimConditionType.GreaterThan, EucaimNumber n) => s > n.Value * scale,
            (EucaimConditionType.GreaterThan, EucaimRange r) => s >= r.Min * scale,
            _ => false,
        };
    }

    private static bool Same(string a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
