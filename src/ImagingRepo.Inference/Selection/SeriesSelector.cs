namespace ImagingRepo.Inference.Selection;

/// <summary>Whether a selector returns every matching series or only the first.</summary>
public enum SelectionMode
{
    /// <summary>Every matching series, in scan order.</summary>
    All = 0,

    /// <summary>The first matching series in each study (or of the whole folder outside a dataset).</summary>
    FirstPerStudy,

    /// <summary>Only the first matching series overall.</summary>
    First,
}

/// <summary>
/// Chooses the series a model runs on: a rule over attributes (exact, regular expression, numeric ranges and
/// comparisons, plane, AND/OR/NOT groups) and a mode (all matches, the first per study, the first overall). Built in
/// code or read from JSON (see <see cref="FromJson"/>).
/// </summary>
public sealed class SeriesSelector
{
    /// <summary>Creates a selector.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="mode">The mode.</param>
    public SeriesSelector(SelectionRule rule, SelectionMode mode = SelectionMode.All)
    {
        Rule = rule ?? throw new ArgumentNullException(nameof(rule));
        Mode = mode;
    }

    /// <summary>A selector of every series.</summary>
    public static SeriesSelector Everything { get; } = new(SelectionRule.Everything);

    /// <summary>The rule.</summary>
    public SelectionRule Rule { get; }

    /// <summary>The mode.</summary>
    public SelectionMode Mode { get; }

    /// <summary>
    /// Reads a selector from JSON: <c>{"mode": "all"|"firstPerStudy"|"first", "rule": RULE}</c> or a bare RULE, where
    /// RULE is <c>{"all": [RULE…]}</c>, <c>{"any": [RULE…]}</c>, <c>{"not": RULE}</c>, <c>{"orientation": "axial"}</c>,
    /// or <c>{"attribute": "Modality", OPERATOR: VALUE, "ignoreCase": false}</c> with one OPERATOR of <c>equals</c>,
    /// <c>contains</c>, <c>regex</c>, <c>range</c> (<c>{"min": 1, "max": 3}</c>), <c>lessThan</c>,
    /// <c>lessThanOrEqual</c>, <c>greaterThan</c>, <c>greaterThanOrEqual</c>, <c>equalTo</c>, <c>notEqualTo</c>.
    /// </summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectionRuleException">The JSON is malformed; the message names the place.</exception>
    public static SeriesSelector FromJson(string json) => SelectionJson.Parse(json);

    /// <summary>Reads a selector from a JSON file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The selector.</returns>
    /// <exception cref="SelectionRuleException">The JSON is malformed.</exception>
    public static async Task<SeriesSelector> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return FromJson(json);
        }
        catch (SelectionRuleException e)
        {
            throw new SelectionRuleException($"{path}: {e.Location}", e.Reason, e);
        }
    }

    /// <summary>The matching series, as the mode says.</summary>
    /// <param name="candidates">The series to choose from, in scan order.</param>
    /// <returns>The chosen series.</returns>
    public IReadOnlyList<SeriesCandidate> Select(IEnumerable<SeriesCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var chosen = new List<SeriesCandidate>();
        var studies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            if (!Rule.Matches(candidate))
            {
                continue;
            }

            if (Mode == SelectionMode.FirstPerStudy && !studies.Add(StudyKey(candidate)))
            {
                continue;
            }

            chosen.Add(candidate);
            if (Mode == SelectionMode.First)
            {
                break;
            }
        }

        return chosen;
    }

    private static string StudyKey(SeriesCandidate candidate) =>
        candidate.StudyId ?? candidate.FirstInstance.GetString(Dicom.DicomTags.StudyInstanceUID) ?? string.Empty;
}
