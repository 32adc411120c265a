using System.Globalization;

namespace ImagingRepo.Service.Creation.Metadata;

/// <summary>The unit of a <see cref="PatientAge"/>, as DICOM's Age String (AS) gives it.</summary>
public enum AgeUnit
{
    /// <summary><c>D</c>: days.</summary>
    Days,

    /// <summary><c>W</c>: weeks.</summary>
    Weeks,

    /// <summary><c>M</c>: months.</summary>
    Months,

    /// <summary><c>Y</c>: years.</summary>
    Years,
}

/// <summary>A subject's age with its unit, e.g. <c>073Y</c> in DICOM; compared by its length in days.</summary>
/// <param name="Value">The number.</param>
/// <param name="Unit">Its unit.</param>
public readonly record struct PatientAge(int Value, AgeUnit Unit)
{
    /// <summary>The age in days, as the CHAIMELEON service counts them (a month 30.5 days, a year 365).</summary>
    public int InDays => Unit switch
    {
        AgeUnit.Years => Value * 365,
        AgeUnit.Months => (int)(Value * 30.5),
        AgeUnit.Weeks => Value * 7,
        _ => Value,
    };

    /// <summary>The unit as MIABIS words it: <c>years</c>, <c>months</c>, <c>weeks</c> or <c>days</c>.</summary>
    public string MiabisUnit => Unit switch
    {
        AgeUnit.Years => "years",
        AgeUnit.Months => "months",
        AgeUnit.Weeks => "weeks",
        _ => "days",
    };

    /// <summary>
    /// Parses a DICOM Age String: three digits and one of D, W, M, Y (<c>073Y</c>). Padding and a missing leading zero
    /// are forgiven; anything else gives false, never an exception (an odd value costs the age, not the dataset).
    /// </summary>
    /// <param name="text">The value of (0010,1010).</param>
    /// <param name="age">The age when the result is true.</param>
    public static bool TryParseDicom(string? text, out PatientAge age)
    {
        age = default;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < 2) return false;
        AgeUnit? unit = char.ToUpperInvariant(value[^1]) switch
        {
            'Y' => AgeUnit.Years,
            'M' => AgeUnit.Months,
            'W' => AgeUnit.Weeks,
            'D' => AgeUnit.Days,
            _ => null,
        };
        if (unit is null || !int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        age = new PatientAge(number, unit.Value);
        return true;
    }
}
