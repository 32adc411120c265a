using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>
/// The policy's code-meaning rule compiled once: a frozen set of the standard coding scheme designators, looked up by
/// the designator's bytes (no string per code item), and the replacement of a meaning whose scheme is not standard.
/// </summary>
/// <remarks>
/// The Basic Profile keeps codes, and the meanings of standard schemes are the scheme's own words. A private or local
/// scheme's meaning is whatever a site typed, so it is replaced; its code value stays, since the code is what the
/// content means (a residual risk where a site chose meaningful code values).
/// </remarks>
internal sealed class PrivateCodeMeanings
{
    /// <summary>Written when a code item has neither a replacement in the policy nor a code value of its own.</summary>
    private const string NoCodeValue = "DEIDENTIFIED";

    /// <summary>The most characters of a Code Meaning (LO).</summary>
    private const int MaxMeaning = 64;

    /// <summary>The most characters of a Coding Scheme Designator (SH).</summary>
    private const int MaxDesignator = 16;

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _standard;
    private readonly string? _replacement;

    private PrivateCodeMeanings(CodeMeaningPolicy policy)
    {
        var standard = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scheme in policy.StandardSchemes)
        {
            standard.Add(scheme.Trim());
        }

        _standard = standard.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _replacement = policy.Replacement;
    }

    /// <summary>The rule of a policy; null when private code meanings are kept (by the option or an override of the tag).</summary>
    public static PrivateCodeMeanings? For(DeidentificationPolicy policy, bool codeMeaningOverridden) =>
        policy.CodeMeanings.KeepPrivate || codeMeaningOverridden ? null : new PrivateCodeMeanings(policy.CodeMeanings);

    /// <summary>True when the code item's Coding Scheme Designator is absent or not a standard one.</summary>
    public bool IsPrivate(DicomDataset codeItem)
    {
        if (codeItem[DicomTags.CodingSchemeDesignator] is not DicomValueElement { IsLazy: false } designator)
        {
            return true;
        }

        var bytes = designator.Span;
        var start = 0;
        var end = bytes.Length;
        while (start < end && bytes[start] == ' ')
        {
            start++;
        }

        while (end > start && bytes[end - 1] is (byte)' ' or 0)
        {
            end--;
        }

        if (end == start || end - start > MaxDesignator)
        {
            return true;
        }

        Span<char> text = stackalloc char[end - start];
        for (var i = start; i < end; i++)
        {
            // designators are of the default repertoire; anything else is no standard scheme
            if (bytes[i] >= 0x80)
            {
                return true;
            }

            text[i - start] = (char)bytes[i];
        }

        return !_standard.Contains(text);
    }

    /// <summary>Replaces the Code Meaning of a code item with the policy's text or the item's code value.</summary>
    public void Replace(DicomDataset codeItem)
    {
        var text = _replacement ?? CodeValueOf(codeItem);
        try
        {
            codeItem.SetString(DicomTags.CodeMeaning, DicomVR.LO, text);
        }
        catch (DicomException)
        {
            // the instance's character set cannot encode the code value: the dummy is plain ASCII
            codeItem.SetString(DicomTags.CodeMeaning, DicomVR.LO, NoCodeValue);
        }
    }

    /// <summary>Code Value, else Long Code Value, else URN Code Value, cut to fit a Code Meaning.</summary>
    private static string CodeValueOf(DicomDataset codeItem)
    {
        var value = FirstNonEmpty(codeItem, DicomTags.CodeValue) ?? FirstNonEmpty(codeItem, DicomTags.LongCodeValue)
            ?? FirstNonEmpty(codeItem, DicomTags.URNCodeValue) ?? NoCodeValue;
        return value.Length > MaxMeaning ? value[..MaxMeaning] : value;
    }

    private static string? FirstNonEmpty(DicomDataset codeItem, DicomTag tag)
    {
        var value = codeItem.GetString(tag)?.Trim(' ', '\0');
        return string.IsNullOrEmpty(value) || value.Contains('\\', StringComparison.Ordinal) ? null : value;
    }
}
