using System.Collections.Frozen;

namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>PS3.15 Table E.1-1, the Basic Application Level Confidentiality Profile, as data.</summary>
public static class ConfidentialityProfile
{
    private static readonly FrozenDictionary<uint, ProfileRow> ExplicitRows =
        ConfidentialityProfileTable.Rows.Where(r => !r.IsMasked).ToFrozenDictionary(r => r.Tag);

    private static readonly ProfileRow[] MaskedRows =
        [.. ConfidentialityProfileTable.Rows.Where(r => r.IsMasked)];

    /// <summary>The edition of the standard the table comes from (later additions included).</summary>
    public static string Edition => ConfidentialityProfileTable.Edition;

    /// <summary>Every row of the table except the private-attributes row, explicit rows first.</summary>
    public static IReadOnlyList<ProfileRow> Rows => ConfidentialityProfileTable.Rows;

    /// <summary>The row for private attributes (every odd group).</summary>
    public static ProfileRow PrivateAttributes => ConfidentialityProfileTable.PrivateAttributes;

    /// <summary>
    /// Finds the row governing <paramref name="tag"/>: the explicit row, else the private row for odd groups,
    /// else a masked (curve, overlay) row. A lookup keyed by tag, no pattern matching per element.
    /// </summary>
    /// <param name="tag">Group in the high 16 bits, element in the low 16 bits.</param>
    /// <param name="row">The row, when one governs the tag.</param>
    /// <returns>True when the table lists the attribute.</returns>
    public static bool TryFind(uint tag, out ProfileRow row)
    {
        if (ExplicitRows.TryGetValue(tag, out row))
        {
            return true;
        }

        if (new DicomTag(tag).IsOddGroup)
        {
            row = ConfidentialityProfileTable.PrivateAttributes;
            return true;
        }

        var group = tag >> 16;
        if (group is >= 0x5000 and <= 0x60FF)
        {
            foreach (var masked in MaskedRows)
            {
                if (masked.Matches(tag))
                {
                    row = masked;
                    return true;
                }
            }
        }

        row = default;
        return false;
    }
}
