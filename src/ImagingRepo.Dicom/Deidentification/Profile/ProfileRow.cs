namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>One row of PS3.15 Table E.1-1: the attribute (or repeating-group pattern) and its actions.</summary>
/// <remarks>
/// A row matches a tag when <c>(tag &amp; Mask) == Tag</c>; explicit rows have the mask <c>0xFFFFFFFF</c>,
/// the curve, overlay and private rows cover whole groups with a narrower mask.
/// </remarks>
/// <param name="Tag">The tag, group in the high 16 bits; masked-out digits are zero.</param>
/// <param name="Mask">Which bits of a tag must equal <paramref name="Tag"/>; <c>0xFFFFFFFF</c> for an explicit attribute.</param>
/// <param name="Name">The attribute name as the table gives it.</param>
/// <param name="ValueRepresentation">The data dictionary VR of the attribute (the first where the dictionary lists several).</param>
/// <param name="BasicAction">The Basic Profile action.</param>
/// <param name="KeepUnder">Options under which the attribute is kept (K).</param>
/// <param name="CleanUnder">Options under which the attribute is cleaned (C).</param>
public readonly record struct ProfileRow(uint Tag, uint Mask, string Name, string ValueRepresentation, ProfileAction BasicAction,
    DeidentificationOptions KeepUnder, DeidentificationOptions CleanUnder)
{
    // the mask of a row for one attribute: every bit of the tag must match
    private const uint ExactMask = 0xFFFFFFFF;

    /// <summary>True when the row covers a repeating group rather than one attribute.</summary>
    public bool IsMasked => Mask != ExactMask;

    /// <summary>True when <paramref name="tag"/> falls under this row.</summary>
    public bool Matches(uint tag) => (tag & Mask) == Tag;

    /// <summary>
    /// The table action once <paramref name="options"/> are applied: an option's C wins over an option's K
    /// (cleaning is the more protective of the two), and either wins over the Basic Profile action.
    /// </summary>
    public ProfileAction ActionFor(DeidentificationOptions options)
    {
        if ((CleanUnder & options) != 0)
        {
            return ProfileAction.Clean;
        }

        return (KeepUnder & options) != 0 ? ProfileAction.Keep : BasicAction;
    }
}
