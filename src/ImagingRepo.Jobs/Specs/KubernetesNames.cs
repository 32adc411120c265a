namespace ImagingRepo.Jobs.Specs;

/// <summary>Validation of Kubernetes object names and of the values the library puts into paths and labels.</summary>
public static class KubernetesNames
{
    /// <summary>Maximum length of an RFC 1123 label (namespaces, services, label values).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>True when <paramref name="value"/> is an RFC 1123 label: lower-case alphanumerics and '-', alphanumeric at both ends, at most 63 characters.</summary>
    /// <param name="value">The candidate name.</param>
    public static bool IsDns1123Label(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLabelLength || !IsAlnum(value[0]) || !IsAlnum(value[^1]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!IsAlnum(c) && c != '-')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Throws when <paramref name="value"/> is not an RFC 1123 label of at most <paramref name="maxLength"/> characters.</summary>
    /// <param name="field">The field name used in the error.</param>
    /// <param name="value">The candidate name.</param>
    /// <param name="maxLength">A tighter limit (Jobs leave room for pod suffixes).</param>
    /// <exception cref="JobsValidationException">The name is invalid.</exception>
    public static void RequireDns1123Label(string field, string? value, int maxLength = MaxLabelLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new JobsValidationException(field, "is required");
        }

        if (value.Length > maxLength)
        {
            throw new JobsValidationException(field, $"'{value}' is {value.Length} characters long; at most {maxLength} are allowed");
        }

        if (!IsDns1123Label(value))
        {
            throw new JobsValidationException(field,
                $"'{value}' is not a valid name: use lower-case letters, digits and '-', starting and ending with a letter or digit (RFC 1123)");
        }
    }

    /// <summary>
    /// Throws unless <paramref name="value"/> is a safe dataset id: 1-128 characters of letters, digits, '-', '_' and '.',
    /// not '.' or '..' (it becomes a folder name and a volume sub-path).
    /// </summary>
    /// <param name="field">The field name used in the error.</param>
    /// <param name="value">The dataset id.</param>
    /// <exception cref="JobsValidationException">The id is unsafe.</exception>
    public static void RequireDatasetId(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new JobsValidationException(field, "a dataset id is required");
        }

        bool ok = value.Length <= 128 && value is not "." and not "..";
        foreach (char c in value)
        {
            ok &= char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
        }

        if (!ok)
        {
            throw new JobsValidationException(field,
                $"'{value}' is not a valid dataset id: use at most 128 letters, digits, '-', '_' or '.'");
        }
    }

    private static bool IsAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
