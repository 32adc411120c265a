using System.Globalization;

namespace ImagingRepo.Dicom.Deidentification.Pseudonymization;

/// <summary>Moves DA and DT values by whole days, keeping their precision, time of day and offset.</summary>
internal static class DateShifter
{
    /// <summary>Shifts every value of a (possibly multi-valued) DA; null when a value is not a date.</summary>
    public static string? ShiftDate(string value, int days) => ShiftEach(value, days, dateTime: false);

    /// <summary>Shifts every value of a (possibly multi-valued) DT; null when a value is not a date-time.</summary>
    public static string? ShiftDateTime(string value, int days) => ShiftEach(value, days, dateTime: true);

    private static string? ShiftEach(string value, int days, bool dateTime)
    {
        var trimmed = value.TrimEnd(' ', '\0');
        if (trimmed.Length == 0)
        {
            return trimmed;
        }

        if (!trimmed.Contains('\\', StringComparison.Ordinal))
        {
            return ShiftOne(trimmed.Trim(), days, dateTime);
        }

        var parts = trimmed.Split('\\');
        for (var i = 0; i < parts.Length; i++)
        {
            var shifted = ShiftOne(parts[i].Trim(), days, dateTime);
            if (shifted is null)
            {
                return null;
            }

            parts[i] = shifted;
        }

        return string.Join('\\', parts);
    }

    private static string? ShiftOne(string value, int days, bool dateTime)
    {
        if (value.Length == 0)
        {
            return value;
        }

        // Legacy ACR-NEMA dates "YYYY.MM.DD" are rewritten in the standard form.
        if (!dateTime && value.Length == 10 && value[4] == '.' && value[7] == '.')
        {
            value = string.Concat(value.AsSpan(0, 4), value.AsSpan(5, 2), value.AsSpan(8, 2));
        }

        // Precision of the date part: YYYY, YYYYMM or YYYYMMDD; the rest (time, fraction, offset) is kept as is.
        var digits = 0;
        while (digits < value.Length && digits < 8 && char.IsAsciiDigit(value[digits]))
        {
            digits++;
        }

        if (digits is not (4 or 6 or 8) || (!dateTime && value.Length != digits) || (dateTime && digits < 8 && value.Length != digits && value[digits] is not ('+' or '-')))
        {
            return null;
        }

        var year = int.Parse(value.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = digits >= 6 ? int.Parse(value.AsSpan(4, 2), CultureInfo.InvariantCulture) : 1;
        var day = digits == 8 ? int.Parse(value.AsSpan(6, 2), CultureInfo.InvariantCulture) : 1;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return null;
        }

        var date = new DateOnly(year, month, day);
        var shiftedDays = date.DayNumber + (long)days;
        if (shiftedDays < DateOnly.MinValue.DayNumber || shiftedDays > DateOnly.MaxValue.DayNumber)
        {
            return null;
        }

        var shifted = DateOnly.FromDayNumber((int)shiftedDays);
        var format = digits switch { 4 => "yyyy", 6 => "yyyyMM", _ => "yyyyMMdd" };
        return shifted.ToString(format, CultureInfo.InvariantCulture) + value[digits..];
    }
}
