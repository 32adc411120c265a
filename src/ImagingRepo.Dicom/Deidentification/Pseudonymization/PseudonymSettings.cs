using System.Globalization;
using System.Text.Json.Serialization;

namespace ImagingRepo.Dicom.Deidentification.Pseudonymization;

/// <summary>How pseudonyms look and how far dates move.</summary>
public sealed record PseudonymSettings
{
    /// <summary>16 hex digits of the keyed hash for both pseudonyms; dates move back by 1 to 3,650 days.</summary>
    public PseudonymSettings()
    {
    }

    // the JSON binds here so that absent members keep their defaults (see DeidentificationPolicy's constructor)
    [JsonConstructor]
    internal PseudonymSettings(string? patientIdFormat = null, string? patientNameFormat = null,
        int dateShiftMinDays = DefaultDateShiftMinDays, int dateShiftMaxDays = DefaultDateShiftMaxDays)
    {
        PatientIdFormat = patientIdFormat ?? PatientIdFormat;
        PatientNameFormat = patientNameFormat ?? PatientNameFormat;
        DateShiftMinDays = dateShiftMinDays;
        DateShiftMaxDays = dateShiftMaxDays;
    }

    private const int DefaultDateShiftMinDays = -3650;
    private const int DefaultDateShiftMaxDays = -1;

    /// <summary>
    /// Format of the pseudonymous Patient ID: literal text with <c>{hash}</c> (16 hex digits) or <c>{hash:N}</c>
    /// (N hex digits, 1-64) of the keyed patient hash. At most 64 characters once expanded (LO).
    /// </summary>
    public string PatientIdFormat { get; init; } = "{hash:16}";

    /// <summary>Format of the pseudonymous Patient's Name, with the same placeholders (PN, at most 64 characters).</summary>
    public string PatientNameFormat { get; init; } = "ANON^{hash:16}";

    /// <summary>Lower bound of the per-patient date offset in days (Modified Dates option).</summary>
    public int DateShiftMinDays { get; init; } = DefaultDateShiftMinDays;

    /// <summary>Upper bound of the per-patient date offset in days (Modified Dates option).</summary>
    public int DateShiftMaxDays { get; init; } = DefaultDateShiftMaxDays;

    /// <summary>Checks the formats and the range.</summary>
    /// <exception cref="ArgumentException">A format or the range is invalid.</exception>
    public void Validate()
    {
        CheckFormat(PatientIdFormat, nameof(PatientIdFormat));
        CheckFormat(PatientNameFormat, nameof(PatientNameFormat));
        if (DateShiftMinDays > DateShiftMaxDays)
        {
            throw new ArgumentException(
                $"{nameof(DateShiftMinDays)} ({DateShiftMinDays}) is greater than {nameof(DateShiftMaxDays)} ({DateShiftMaxDays}).");
        }

        if (DateShiftMinDays == 0 && DateShiftMaxDays == 0)
        {
            throw new ArgumentException("The date-shift range [0, 0] would not modify dates.");
        }

        if (Math.Abs((long)DateShiftMinDays) > 36500 || Math.Abs((long)DateShiftMaxDays) > 36500)
        {
            throw new ArgumentException("Date shifts beyond 100 years (36500 days) are not supported.");
        }
    }

    private static void CheckFormat(string format, string name)
    {
        if (string.IsNullOrEmpty(format))
        {
            throw new ArgumentException($"{name} is empty.");
        }

        var expanded = 0;
        var hasHash = false;
        var i = 0;
        while (i < format.Length)
        {
            var open = format.IndexOf("{hash", i, StringComparison.Ordinal);
            if (open < 0)
            {
                expanded += format.Length - i;
                break;
            }

            expanded += open - i;
            var close = format.IndexOf('}', open);
            if (close < 0)
            {
                throw new ArgumentException($"{name} '{format}': unclosed placeholder.");
            }

            var spec = format.AsSpan(open + 5, close - open - 5);
            var length = 16;
            if (!spec.IsEmpty && (spec[0] != ':' || !int.TryParse(spec[1..], NumberStyles.None, CultureInfo.InvariantCulture, out length) || length is < 1 or > 64))
            {
                throw new ArgumentException($"{name} '{format}': use {{hash}} or {{hash:N}} with N in 1-64.");
            }

            hasHash = true;
            expanded += length;
            i = close + 1;
        }

        if (!hasHash)
        {
            throw new ArgumentException($"{name} '{format}' has no {{hash}} placeholder, so every patient would get the same pseudonym.");
        }

        if (expanded > 64)
        {
            throw new ArgumentException($"{name} '{format}' expands to {expanded} characters; at most 64 fit the VR.");
        }

        if (format.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} '{format}' must not contain a backslash (the DICOM value separator).");
        }
    }
}
