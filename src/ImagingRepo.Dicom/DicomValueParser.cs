using System.Globalization;

namespace ImagingRepo.Dicom;

/// <summary>Parsers of the text VRs (PS3.5 6.2): DA, TM, DT, DS, IS, with the tolerance real archives need.</summary>
public static class DicomValueParser
{
    /// <summary>Removes padding: trailing spaces (and NULs) for text, leading spaces too where they are not significant.</summary>
    /// <param name="value">One value or a whole text.</param>
    /// <param name="vr">The VR.</param>
    /// <returns>The trimmed value.</returns>
    public static string TrimValue(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        return vr switch
        {
            DicomVR.UI => value.TrimEnd('\0', ' '),
            DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR => value.TrimEnd(' ', '\0'),
            DicomVR.AE or DicomVR.CS or DicomVR.DS or DicomVR.IS or DicomVR.DA or DicomVR.TM or DicomVR.DT or DicomVR.AS => value.Trim(' ', '\0'),
            _ => value.TrimEnd(' ', '\0'),
        };
    }

    /// <summary>Parses DA <c>YYYYMMDD</c> (or the legacy <c>YYYY.MM.DD</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The date when the result is true.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateOnly value)
    {
        text = text.Trim();
        if (text.Length == 10 && text[4] == '.' && text[7] == '.')
        {
            return DateOnly.TryParseExact(text, "yyyy.MM.dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
        }

        return DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>Parses a DA range <c>from-to</c>, <c>-to</c>, <c>from-</c> or a single date.</summary>
    /// <param name="text">The text.</param>
    /// <param name="from">The first date or null when open.</param>
    /// <param name="to">The last date or null when open.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseDateRange(ReadOnlySpan<char> text, out DateOnly? from, out DateOnly? to)
    {
        from = to = null;
        text = text.Trim();
        var dash = text.IndexOf('-');
        if (dash < 0)
        {
            if (!TryParseDate(text, out var single))
            {
                return false;
            }

            from = to = single;
            return true;
        }

        var left = text[..dash].Trim();
        var right = text[(dash + 1)..].Trim();
        if (left.IsEmpty && right.IsEmpty)
        {
            return false;
        }

        if (!left.IsEmpty)
        {
            if (!TryParseDate(left, out var f))
            {
                return false;
            }

            from = f;
        }

        if (!right.IsEmpty)
        {
            if (!TryParseDate(right, out var t))
            {
                return false;
            }

            to = t;
        }

        return true;
    }

    /// <summary>Parses TM <c>HH[MM[SS[.F{1,6}]]]</c> (also the legacy <c>HH:MM:SS</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The time when the result is true.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseTime(ReadOnlySpan<char> text, out TimeOnly value)
    {
        value = default;
        text = text.Trim();
        Span<char> compact = stackalloc char[16];
        var n = 0;
        foreach (var c in text)
        {
            if (c == ':')
            {
                continue;
            }

            if (n == compact.Length)
            {
                return false;
            }

            compact[n++] = c;
        }

        var t = compact[..n];
        if (t.Length < 2 || !TwoDigits(t, 0, out var hour) || hour > 23)
        {
            return false;
        }

        int minute = 0, second = 0;
        long ticks = 0;
        if (t.Length >= 4 && (!TwoDigits(t, 2, out minute) || minute > 59))
        {
            return false;
        }

        if (t.Length >= 6 && (!TwoDigits(t, 4, out second) || second > 60))
        {
            return false;
        }

        if (t.Length is 3 or 5)
        {
            return false;
        }

        if (t.Length > 6)
        {
            if (t[6] != '.' || t.Length == 7 || t.Length > 13)
            {
                return false;
            }

            var fraction = t[7..];
            foreach (var c in fraction)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            ticks = long.Parse(fraction, CultureInfo.InvariantCulture);
            for (var i = fraction.Length; i < 7; i++)
            {
                ticks *= 10;
            }
        }

        value = new TimeOnly(hour, minute, Math.Min(second, 59)).Add(TimeSpan.FromTicks(ticks));
        return true;
    }

    /// <summary>Parses DT <c>YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX]</c>; missing parts take their first value.</summary>
    /// <param name="text">The text.</param>
    /// <param name="defaultOffset">The UTC offset when the text has none.</param>
    /// <param name="value">The value when the result is true.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, TimeSpan defaultOffset, out DateTimeOffset value)
    {
        value = default;
        text = text.Trim();
        var offset = defaultOffset;
        var sign = text.IndexOfAny('+', '-');
        if (sign > 0)
        {
            if (!TryParseOffset(text[sign..], out offset))
            {
                return false;
            }

            text = text[..sign];
        }

        if (text.Length < 4 || !int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1)
        {
            return false;
        }

        int month = 1, day = 1;
        if (text.Length >= 6 && (!TwoDigits(text, 4, out month) || month is < 1 or > 12))
        {
            return false;
        }

        if (text.Length >= 8 && (!TwoDigits(text, 6, out day) || day < 1 || day > DateTime.DaysInMonth(year, month)))
        {
            return false;
        }

        if (text.Length is 5 or 7)
        {
            return false;
        }

        var time = TimeOnly.MinValue;
        if (text.Length > 8 && !TryParseTime(text[8..], out time))
        {
            return false;
        }

        value = new DateTimeOffset(new DateOnly(year, month, day).ToDateTime(time), offset);
        return true;
    }

    /// <summary>Parses a UTC offset <c>&amp;ZZXX</c> (<c>+0100</c>, <c>-0530</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="offset">The offset when the result is true.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseOffset(ReadOnlySpan<char> text, out TimeSpan offset)
    {
        offset = default;
        text = text.Trim();
        if (text.Length != 5 || text[0] is not ('+' or '-') || !TwoDigits(text, 1, out var hours) || !TwoDigits(text, 3, out var minutes) || hours > 14 || minutes > 59)
        {
            return false;
        }

        offset = new TimeSpan(hours, minutes, 0);
        if (text[0] == '-')
        {
            offset = -offset;
        }

        return true;
    }

    /// <summary>Parses a DS value (leading/trailing spaces allowed).</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The number when the result is true.</param>
    /// <returns>True when valid.</returns>
    public static bool TryParseDecimalString(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    private static bool TwoDigits(ReadOnlySpan<char> text, int at, out int value)
    {
        value = 0;
        if (text.Length < at + 2 || !char.IsAsciiDigit(text[at]) || !char.IsAsciiDigit(text[at + 1]))
        {
            return false;
        }

        value = ((text[at] - '0') * 10) + (text[at + 1] - '0');
        return true;
    }
}

/// <summary>The components of one person-name component group.</summary>
/// <param name="FamilyName">Family name complex.</param>
/// <param name="GivenName">Given name complex.</param>
/// <param name="MiddleName">Middle name.</param>
/// <param name="Prefix">Name prefix.</param>
/// <param name="Suffix">Name suffix.</param>
public sealed record DicomPersonNameComponents(string FamilyName, string GivenName, string MiddleName, string Prefix, string Suffix)
{
    /// <summary>Parses <c>family^given^middle^prefix^suffix</c>.</summary>
    /// <param name="group">The component group text.</param>
    /// <returns>The components.</returns>
    public static DicomPersonNameComponents Parse(string group)
    {
        ArgumentNullException.ThrowIfNull(group);
        var parts = group.Split('^');
        string At(int i) => i < parts.Length ? parts[i].TrimEnd(' ') : string.Empty;
        return new DicomPersonNameComponents(At(0), At(1), At(2), At(3), At(4));
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('^', FamilyName, GivenName, MiddleName, Prefix, Suffix).TrimEnd('^');
}

/// <summary>A person name (PN) with its alphabetic, ideographic and phonetic component groups.</summary>
/// <param name="Alphabetic">The alphabetic group.</param>
/// <param name="Ideographic">The ideographic group (empty components when absent).</param>
/// <param name="Phonetic">The phonetic group (empty components when absent).</param>
public sealed record DicomPersonName(DicomPersonNameComponents Alphabetic, DicomPersonNameComponents Ideographic, DicomPersonNameComponents Phonetic)
{
    /// <summary>Parses <c>alphabetic=ideographic=phonetic</c>.</summary>
    /// <param name="value">One PN value (decoded).</param>
    /// <returns>The name.</returns>
    public static DicomPersonName Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var groups = value.Split('=');
        DicomPersonNameComponents At(int i) => DicomPersonNameComponents.Parse(i < groups.Length ? groups[i] : string.Empty);
        return new DicomPersonName(At(0), At(1), At(2));
    }

    /// <inheritdoc />
    public override string ToString() => string.Join('=', Alphabetic, Ideographic, Phonetic).TrimEnd('=');
}
