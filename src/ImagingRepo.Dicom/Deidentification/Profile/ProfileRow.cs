namespace ImagingRepo.Dicom.Deidentification.Profile;

/// <summary>One row of PS3.15 Table E.1-1: the attribute (or repeating-group pattern) and its actions.</summary>
/// <remarks>
/// A row matches a tag when <c>(tag &amp; Mask) == Tag</c>; explicit rows have the mask <c>0xFFFFFFFF</c>,
/// the curve, overlay and private rows cover whole groups with a narrower mask.
/// </remarks>
public readonly record struct ProfileRow
{
    // the mask of a row for one attribute: every bit of the tag must match
    private const uint ExactMask = 0xFFFFFFFF;

    /// <summary>Creates a row.</summary>
    /// <param name="tag">The tag (group in the high 16 bits), with the masked-out digits zero.</param>
    /// <param name="mask">Which bits of a tag must equal <paramref name="tag"/>.</param>
    /// <param name="name">The attribute name as the table gives it.</param>
    /// <param name="valueRepresentation">The attribute's VR in the data dictionary (first of several).</param>
    /// <param name="basicAction">The Basic Profile action.</param>
    /// <param name="keepUnder">The options whose column says K for this row.</param>
    /// <param name="cleanUnder">The options whose column says C for this row.</param>
    public ProfileRow(uint tag, uint mask, string name, string valueRepresentation, ProfileAction basicAction,
        DeidentificationOptions keepUnder, DeidentificationOptions cleanUnder)
    {
        Tag = tag;
        Mask = mask;
        Name = name;
        ValueRepresentation = valueRepresentation;
        BasicAction = basicAction;
        KeepUnder = keepUnder;
        CleanUnder = cleanUnder;
    }

    /// <summary>The tag, group in the high 16 bits; masked-out digits are zero.</summary>
    public uint Tag { get; }

    /// <summary>Which bits of a tag must equal <see cref="Tag"/>; <c>0xFFFFFFFF</c> for an explicit attribute.</summary>
    public uint Mask { get; }

    /// <summary>The attribute name.</summary>
    public string Name { get; }

    /// <summary>The data dictionary VR of the attribute (the first where the dictionary lists several).</summary>
    public string ValueRepresentation { get; }

    /// <summary>The Basic Profile action.</summary>
    public ProfileAction BasicAction { get; }

    /// <summary>Options under which the attribute is kept (K).</summary>
    public DeidentificationOptions KeepUnder { get; }

    /// <summary>Options under which the attribute is cleaned (C).</summary>
    public DeidentificationOptions CleanUnder { get; }

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
