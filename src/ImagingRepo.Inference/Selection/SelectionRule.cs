using System.Globalization;
using System.Text.RegularExpressions;

namespace ImagingRepo.Inference.Selection;

/// <summary>A condition on a series; combine with <see cref="All"/>, <see cref="Any"/> and <see cref="Not"/>.</summary>
public abstract record SelectionRule
{
    /// <summary>Matches every series.</summary>
    public static SelectionRule Everything { get; } = new AllOfRule([]);

    /// <summary>True when the series meets the condition.</summary>
    /// <param name="series">The series.</param>
    /// <returns>True on a match.</returns>
    public abstract bool Matches(SeriesCandidate series);

    /// <summary>The attribute's whole value equals <paramref name="value"/> (trimmed; ordinal, or ignoring case).</summary>
    /// <param name="attribute">A keyword, a tag <c>(GGGG,EEEE)</c> or a pseudo-attribute of <see cref="SeriesCandidate"/>.</param>
    /// <param name="value">The value.</param>
    /// <param name="ignoreCase">True to ignore case.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Equal(string attribute, string value, bool ignoreCase = false) =>
        new AttributeRule(attribute, AttributeOperator.Equals, value, ignoreCase);

    /// <summary>One of the attribute's values (backslash-separated) equals <paramref name="value"/>; e.g. ImageType contains AXIAL.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="value">The value.</param>
    /// <param name="ignoreCase">True to ignore case.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Contains(string attribute, string value, bool ignoreCase = false) =>
        new AttributeRule(attribute, AttributeOperator.Contains, value, ignoreCase);

    /// <summary>The attribute's whole value matches a .NET regular expression (evaluated with a one-second limit).</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="pattern">The pattern (unanchored: add <c>^…$</c> for a whole match).</param>
    /// <param name="ignoreCase">True to ignore case.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Matching(string attribute, string pattern, bool ignoreCase = false) =>
        new AttributeRule(attribute, AttributeOperator.Regex, pattern, ignoreCase);

    /// <summary>The attribute's first value is a number in <c>[min, max]</c>; either bound may be null.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="min">Lowest value, inclusive.</param>
    /// <param name="max">Highest value, inclusive.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Between(string attribute, double? min, double? max) => new RangeRule(attribute, min, max);

    /// <summary>The attribute's first value is a number that compares to <paramref name="value"/> as <paramref name="comparison"/> says.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="comparison">The comparison.</param>
    /// <param name="value">The number.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Compare(string attribute, NumericComparison comparison, double value) => new ComparisonRule(attribute, comparison, value);

    /// <summary>The series' plane (from Image Orientation (Patient)) is <paramref name="plane"/>.</summary>
    /// <param name="plane">The plane.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Orientation(PlaneOrientation plane) => new OrientationRule(plane);

    /// <summary>Every rule matches (true when there are none).</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule All(params IEnumerable<SelectionRule> rules) => new AllOfRule([.. rules]);

    /// <summary>At least one rule matches.</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Any(params IEnumerable<SelectionRule> rules) => new AnyOfRule([.. rules]);

    /// <summary>The rule does not match.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The rule.</returns>
    public static SelectionRule Not(SelectionRule rule) => new NotRule(rule);
}

/// <summary>How an attribute's text is compared.</summary>
public enum AttributeOperator
{
    /// <summary>The whole value equals.</summary>
    Equals = 0,

    /// <summary>One of the values equals.</summary>
    Contains,

    /// <summary>The whole value matches a regular expression.</summary>
    Regex,
}

/// <summary>A numeric comparison.</summary>
public enum NumericComparison
{
    /// <summary>Less than.</summary>
    LessThan = 0,

    /// <summary>Less than or equal.</summary>
    LessThanOrEqual,

    /// <summary>Greater than.</summary>
    GreaterThan,

    /// <summary>Greater than or equal.</summary>
    GreaterThanOrEqual,

    /// <summary>Equal.</summary>
    Equal,

    /// <summary>Not equal.</summary>
    NotEqual,
}

/// <summary>A text condition on one attribute.</summary>
public sealed record AttributeRule : SelectionRule
{
    private readonly Regex? _regex;

    /// <summary>Creates the rule.</summary>
    /// <param name="attribute">The attribute.</param>
    /// <param name="operator">How values are compared.</param>
    /// <param name="value">The value or pattern.</param>
    /// <param name="ignoreCase">True to ignore case.</param>
    /// <exception cref="SelectionRuleException">The pattern is not a valid regular expression.</exception>
    public AttributeRule(string attribute, AttributeOperator @operator, string value, bool ignoreCase)
    {
        Attribute = attribute ?? throw new ArgumentNullException(nameof(attribute));
        Operator = @operator;
        Value = value ?? throw new ArgumentNullException(nameof(value));
        IgnoreCase = ignoreCase;
        if (@operator == AttributeOperator.Regex)
        {
            try
            {
                var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
                _regex = new Regex(value, options, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new SelectionRuleException(attribute, $"'{value}' is not a valid regular expression: {e.Message}", e);
            }
        }
    }

    /// <summary>The attribute.</summary>
    public string Attribute { get; }

    /// <summary>How values are compared.</summary>
    public AttributeOperator Operator { get; }

    /// <summary>The value or pattern.</summary>
    public string Value { get; }

    /// <summary>True to ignore case.</summary>
    public bool IgnoreCase { get; }

    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var values = series.GetValues(Attribute);
        var comparison = IgnoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        switch (Operator)
        {
            case AttributeOperator.Equals:
                return string.Equals(string.Join('\\', values).Trim(), Value.Trim(), comparison);
            case AttributeOperator.Contains:
                foreach (var value in values)
                {
                    if (string.Equals(value.Trim(), Value.Trim(), comparison))
                    {
                        return true;
                    }
                }

                return false;
            default:
                try
                {
                    return values.Count > 0 && _regex!.IsMatch(string.Join('\\', values));
                }
                catch (RegexMatchTimeoutException e)
                {
                    throw new SelectionRuleException(Attribute, $"the pattern '{Value}' took over a second on one value", e);
                }
        }
    }
}

/// <summary>A numeric range on one attribute's first value.</summary>
/// <param name="Attribute">The attribute.</param>
/// <param name="Min">Lowest value, inclusive, or null.</param>
/// <param name="Max">Highest value, inclusive, or null.</param>
public sealed record RangeRule(string Attribute, double? Min, double? Max) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series) =>
        NumericValue.First(series, Attribute) is { } value && (Min is null || value >= Min) && (Max is null || value <= Max);
}

/// <summary>A numeric comparison on one attribute's first value.</summary>
/// <param name="Attribute">The attribute.</param>
/// <param name="Comparison">The comparison.</param>
/// <param name="Value">The number compared with.</param>
public sealed record ComparisonRule(string Attribute, NumericComparison Comparison, double Value) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series) => NumericValue.First(series, Attribute) is { } value && Comparison switch
    {
        NumericComparison.LessThan => value < Value,
        NumericComparison.LessThanOrEqual => value <= Value,
        NumericComparison.GreaterThan => value > Value,
        NumericComparison.GreaterThanOrEqual => value >= Value,
        NumericComparison.Equal => value == Value,
        _ => value != Value,
    };
}

/// <summary>The plane of the series.</summary>
/// <param name="Plane">The plane.</param>
public sealed record OrientationRule(PlaneOrientation Plane) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series)
    {
        ArgumentNullException.ThrowIfNull(series);
        return series.Orientation == Plane;
    }
}

/// <summary>Every rule matches.</summary>
/// <param name="Rules">The rules.</param>
public sealed record AllOfRule(IReadOnlyList<SelectionRule> Rules) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series)
    {
        foreach (var rule in Rules)
        {
            if (!rule.Matches(series))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>At least one rule matches.</summary>
/// <param name="Rules">The rules.</param>
public sealed record AnyOfRule(IReadOnlyList<SelectionRule> Rules) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series)
    {
        foreach (var rule in Rules)
        {
            if (rule.Matches(series))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The rule does not match.</summary>
/// <param name="Rule">The rule.</param>
public sealed record NotRule(SelectionRule Rule) : SelectionRule
{
    /// <inheritdoc />
    public override bool Matches(SeriesCandidate series) => !Rule.Matches(series);
}

/// <summary>Reads an attribute's first value as a number.</summary>
internal static class NumericValue
{
    public static double? First(SeriesCandidate series, string attribute)
    {
        ArgumentNullException.ThrowIfNull(series);
        var values = series.GetValues(attribute);
        return values.Count > 0 && double.TryParse(values[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
